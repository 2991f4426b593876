package com.vizsprints.streams.processor.logic;

/** What users.csv says about a user (the latest row wins). */
public record Profile(long joinedAtMillis, String device, String country, String plan, String variant, long position) {
}
