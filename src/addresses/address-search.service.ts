import { BadRequestException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { AddressDirectory, AddressSuggestion, DirectoryBuilding, Resolution } from './address-directory';
import { AddressSuggestionsDto } from './dto/address-suggestions.dto';

export const MAX_SUGGESTIONS = 10;

/** Autocomplete for the address field: the directory's suggestions, reduced to what the page shows. */
@Injectable()
export class AddressSearchService {
  constructor(private readonly directory: AddressDirectory) {}

  async suggestions(query: string): Promise<AddressSuggestionsDto> {
    const found = await this.suggest(query);
    return {
      suggestions: found.map(({ label, building_id, plz, municipality }) => ({ label, building_id, plz, municipality })),
      demo: this.directory.demo,
    };
  }

  /** Up to ten suggestions with their positions (public facts of the addresses). */
  suggest(query: string): Promise<AddressSuggestion[]> {
    return this.directory.suggest(query, MAX_SUGGESTIONS);
  }

  /** The building at an address or with a suggestion's id; 404 when unknown, 422 outside the area served. */
  async building(request: { address?: string; building_id?: string }): Promise<DirectoryBuilding> {
    if (request.address !== undefined && request.building_id !== undefined) {
      throw new BadRequestException('give either address or building_id, not both');
    }
    const resolution =
      request.building_id !== undefined ? await this.directory.resolveBuilding(request.building_id) : await this.directory.resolveAddress(request.address ?? '');
    return this.found(resolution);
  }

  private found(resolution: Resolution): DirectoryBuilding {
    switch (resolution.status) {
      case 'found':
        return resolution.building;
      case 'outside-area':
        throw new UnprocessableEntityException('This address is outside the area this service covers');
      case 'unknown':
        throw new NotFoundException('No building was found at this address: check the spelling, or pick one of the suggestions');
    }
  }
}
