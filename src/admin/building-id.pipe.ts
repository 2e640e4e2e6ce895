import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { BUILDING_ID_PATTERN } from '../building-records/building-record';

/** A path building id of the stored form; anything else (a NUL byte, 5 000 characters) never reaches the database. */
@Injectable()
export class BuildingIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!BUILDING_ID_PATTERN.test(value)) {
      throw new BadRequestException('buildingId must be 1–100 characters of A–Z, a–z, 0–9, _ or -');
    }
    return value;
  }
}
