import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const template = process.env.LEG_TEST_EMBEDDED_TEMPLATE;
  if (template) rmSync(template, { recursive: true, force: true });
}
