export class RegistrationResultDto {
  /** @example "b08f389fab" */
  building_id!: string;

  /** `anonymous` for the interest pool, `registered` for a full registration. @example "registered" */
  type!: 'anonymous' | 'registered';

  /** Always false right after registering: the e-mail must be confirmed first. @example false */
  verified!: false;

  /** @example true */
  verification_email_sent!: true;
}
