package dev.ringback.telephony;

import java.time.Instant;

/** A message as Twilio knows it. */
public record SentText(String sid, String from, String to, String body, String status, Instant created) {}
