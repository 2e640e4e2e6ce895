import { Injectable, Logger } from '@nestjs/common';
import { AddressDirectory, DirectoryBuilding } from './address-directory';
import { ProfileSummaryDto } from './dto/profile-summary.dto';
import { ProfileSigner } from './profile-signer.service';

/** The address the API documentation checks and registers in its examples (in the offline gazetteer too). */
export const EXAMPLE_ADDRESS = 'Badstrasse 12, 5400 Baden';
/** After the directory could not answer, ask again at the earliest after this long (the docs stay quick). */
const RETRY_AFTER_FAILURE_MS = 5 * 60 * 1000;

/**
 * A profile of EXAMPLE_ADDRESS as the address check would return it right now: the directory's answer,
 * signed at the moment of the call. The API documentation shows it as the registration example, so that
 * "Try it out" registers with a profile this server accepts. Undefined when the directory has no answer.
 */
@Injectable()
export class ExampleProfileService {
  private readonly logger = new Logger(ExampleProfileService.name);
  private building?: DirectoryBuilding;
  private failedAt?: number;

  constructor(
    private readonly directory: AddressDirectory,
    private readonly signer: ProfileSigner,
  ) {}

  async current(now = new Date()): Promise<ProfileSummaryDto | undefined> {
    const building = await this.exampleBuilding(now.getTime());
    return building ? this.signer.summary(building, now) : undefined;
  }

  private async exampleBuilding(now: number): Promise<DirectoryBuilding | undefined> {
    if (this.building) return this.building;
    if (this.failedAt !== undefined && now - this.failedAt < RETRY_AFTER_FAILURE_MS) return undefined;
    const resolution = await this.directory.resolveAddress(EXAMPLE_ADDRESS).catch((error: unknown) => {
      this.logger.warn(`No example profile for the API documentation: ${(error as Error).message}`);
      return undefined;
    });
    if (resolution?.status === 'found') {
      this.building = resolution.building;
      return this.building;
    }
    this.failedAt = now;
    return undefined;
  }
}
