/** The kinds of personal data and secrets the PII check finds, and their placeholder labels. */
export const piiEntities = ['email', 'phone', 'credit_card', 'iban', 'us_ssn', 'ipv4', 'ipv6', 'secret'] as const;
export type PiiEntity = (typeof piiEntities)[number];

export const piiLabels: Readonly<Record<PiiEntity, string>> = {
  email: 'EMAIL',
  phone: 'PHONE',
  credit_card: 'CREDIT_CARD',
  iban: 'IBAN',
  us_ssn: 'US_SSN',
  ipv4: 'IPV4',
  ipv6: 'IPV6',
  secret: 'SECRET',
};

/** Which entity wins when two detectors claim the same characters (earlier wins). */
export const piiPriority: readonly PiiEntity[] = ['secret', 'credit_card', 'iban', 'us_ssn', 'email', 'ipv6', 'ipv4', 'phone'];
