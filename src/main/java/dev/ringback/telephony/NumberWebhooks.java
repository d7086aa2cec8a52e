package dev.ringback.telephony;

/** What Connect sets on a number: where its calls, their status events and its texts are sent (each with POST). */
public record NumberWebhooks(String voiceUrl, String statusCallback, String smsUrl) {}
