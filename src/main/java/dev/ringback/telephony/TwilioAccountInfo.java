package dev.ringback.telephony;

/** The account the credentials open, as Twilio answers it; {@code status} is {@code active}, {@code suspended} or {@code closed}. */
public record TwilioAccountInfo(String sid, String friendlyName, String status) {}
