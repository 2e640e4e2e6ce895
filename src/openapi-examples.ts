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
/** The registration body; each route's example names a mailbox of its own. */
const REGISTRATION_BODY = 'RegisterDto';

type SchemaWithProperties = { properties?: Record<string, { example?: unknown }> };
type ParameterLike = { name?: string; in?: string; example?: unknown };
type OperationLike = {
  parameters?: ParameterLike[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string }; example?: unknown }> };
};

/** The example values of a schema's properties, as Swagger UI would fill them in. */
function examplesOf(schema: SchemaWithProperties | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema?.properties ?? {}).flatMap(([name, property]) => (property.example === undefined ? [] : [[name, property.example]])));
}

/**
 * Each registration route registers the example building for a mailbox of its own: one mailbox may
 * receive only a few confirmation mails a day, with a quiet period between two (MAIL_LIMIT_LINKS).
 */
function registrationExample(path: string, register: SchemaWithProperties | undefined, signedProfile: SchemaWithProperties | undefined): Record<string, unknown> {
  const mailbox = path.replace(/^\/api\//, '').replace(/[^a-z]+/g, '.');
  return { ...examplesOf(register), email: `owner.${mailbox}@example.ch`, profile: examplesOf(signedProfile) };
}

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
  const register = patched.components?.schemas?.[REGISTRATION_BODY] as SchemaWithProperties | undefined;
  for (const [path, pathItem] of Object.entries(patched.paths)) {
    for (const operation of Object.values(pathItem) as (OperationLike | undefined)[]) {
      const json = operation?.requestBody?.content?.['application/json'];
      if (json?.schema?.$ref?.endsWith(`/${REGISTRATION_BODY}`)) json.example = registrationExample(path, register, signedProfile);
      for (const parameter of Array.isArray(operation?.parameters) ? operation.parameters : []) {
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
