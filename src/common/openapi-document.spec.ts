import type { OpenAPIObject } from '@nestjs/swagger';
import { markPublicOperations } from './openapi-document';

function aDocument(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'test', version: '1' },
    paths: {
      '/api/admin/stats': { get: { security: [{ admin: [] }], responses: {} } },
      '/health': { get: { responses: {} }, post: { responses: {} } },
    },
  };
}

describe(markPublicOperations.name, () => {
  it('should declare operations without a requirement public and leave guarded ones alone', () => {
    const sut = markPublicOperations(aDocument());

    expect(sut.paths['/health'].get?.security).toEqual([]);
    expect(sut.paths['/health'].post?.security).toEqual([]);
    expect(sut.paths['/api/admin/stats'].get?.security).toEqual([{ admin: [] }]);
  });
});
