package dev.ringback.telephony;

/**
 * A text to send: from a line's number, or through a Messaging Service (then {@code from} may be
 * null); Twilio reports its progress to {@code statusCallback} (null: no reports).
 */
public record OutgoingText(String from, String messagingServiceSid, String to, String body, String statusCallback) {}
