package dev.ringback.telephony;

/** The call the network accepted: its CallSid and initial status. */
public record PlacedCall(String callSid, String status) {}
