package dev.ringback.domain;

/** The fields of a customer as an API call or an import row gives them; null means not given. */
public record CustomerData(String phone, String name, Customer.Tier tier, String language, String timeZone, String notes) {}
