package dev.ringback.telephony;

import dev.ringback.domain.CallStatus;
import java.time.Instant;

/**
 * A call as the network reports it when asked, for calls whose status callbacks never came.
 *
 * @param startTime when the call was answered or began, null while queued
 * @param endTime when it ended, null while it lasts
 */
public record CallProgress(String callSid, CallStatus status, Instant startTime, Instant endTime, Integer durationSeconds,
                           String answeredBy) {}
