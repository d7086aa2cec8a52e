package dev.ringback.telephony;

/**
 * A phone number of the account (an IncomingPhoneNumber) and where its calls and texts go. A
 * setting that is not set is null (Twilio answers an empty string or null for it); a Voice or SMS
 * application, when set, overrides that side's URLs.
 */
public record NumberSettings(String sid, String phoneNumber, String voiceUrl, String voiceMethod, String statusCallback,
                             String statusCallbackMethod, String smsUrl, String smsMethod, String voiceApplicationSid,
                             String smsApplicationSid) {}
