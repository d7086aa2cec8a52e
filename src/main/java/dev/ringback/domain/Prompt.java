package dev.ringback.domain;

/**
 * An owner's own version of one sentence of a line: a text in the line's language (with the
 * catalog sentence's placeholders), or a recording Twilio plays.
 *
 * @param text the sentence, or null for a recording
 * @param play the recording's URL, or null for a text
 */
public record Prompt(String text, String play) {
  public static Prompt text(String text) {
    return new Prompt(text, null);
  }

  public static Prompt play(String url) {
    return new Prompt(null, url);
  }

  public boolean isRecording() {
    return play != null;
  }
}
