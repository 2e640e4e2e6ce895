import { INestApplication } from '@nestjs/common';
import { OpenAPIObject } from '@nestjs/swagger';
import { ProfileSummaryDto } from './addresses/dto/profile-summary.dto';
import { ExampleProfileService } from './addresses/example-profile.service';
import { SignedProfileDto } from './registration/dto/signed-profile.dto';

/** The fields of the registration profile whose examples must be the signed ones (the rest are echoed and ignored). */
const SIGNED_FIELDS = [
  'profile_token',
  'building_id',
  'lat',
  'lon',
  'address',
  'plz',
  'municipality',
  'building_type',
  'annual_consumption_kwh',
  'potential_pv_kwp',
] as const satisfies readonly (keyof SignedProfileDto & keyof ProfileSummaryDto)[];

/** The path parameter naming a record in the admin API. */
const BUILDING_ID_PARAMETER = 'buildingId';

type SchemaWithProperties = { properties?: Record<string, { example?: unknown }> };
type ParameterLike = { name?: string; in?: string; example?: unknown };

/**
 * A copy of the document whose examples register `profile` (signed by this server moments ago) and
 * then read and delete that very building through the admin API: Swagger UI fills them in, so "Try
 * it out" succeeds in page order. The document given is left as it is.
 */
export function withExampleProfile(document: OpenAPIObject, profile: ProfileSummaryDto): OpenAPIObject {
  const patched = structuredClone(document);
  const signedProfile = patched.components?.schemas?.[SignedProfileDto.name] as SchemaWithProperties | undefined;
  for (const field of SIGNED_FIELDS) {
    const property = signedProfile?.properties?.[field];
    if (property) property.example = profile[field];
  }
  for (const pathItem of Object.values(patched.paths)) {
    for (const operation of Object.values(pathItem)) {
      const parameters = (operation as { parameters?: ParameterLike[] } | undefined)?.parameters;
      if (!Array.isArray(parameters)) continue;
      for (const parameter of parameters) {
        if (parameter.in === 'path' && parameter.name === BUILDING_ID_PARAMETER) parameter.example = profile.building_id;
      }
    }
  }
  return patched;
}

/**
 * For SwaggerModule's `patchDocumentOnRequest`: each time /docs or /docs-json is loaded, the examples
 * carry a freshly signed profile of the example address from the address directory in use. When the
 * directory cannot answer, the document keeps its static examples.
 */
export function exampleProfilePatch(app: INestApplication): (request: unknown, response: unknown, document: OpenAPIObject) => Promise<OpenAPIObject> {
  const examples = app.get(ExampleProfileService);
  return async (_request, _response, document) => {
    const profile = await examples.current();
    return profile ? withExampleProfile(document, profile) : document;
  };
}
