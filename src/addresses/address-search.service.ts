import { Injectable } from '@nestjs/common';
import { AddressDirectory } from './address-directory';
import { AddressSuggestionsDto } from './dto/address-suggestions.dto';

export const MAX_SUGGESTIONS = 10;

/** Autocomplete for the address field: the directory's suggestions, reduced to what the page shows. */
@Injectable()
export class AddressSearchService {
  constructor(private readonly directory: AddressDirectory) {}

  async suggestions(query: string): Promise<AddressSuggestionsDto> {
    const found = await this.directory.suggest(query, MAX_SUGGESTIONS);
    return {
      suggestions: found.map(({ label, building_id, plz, municipality }) => ({ label, building_id, plz, municipality })),
      demo: this.directory.demo,
    };
  }
}
