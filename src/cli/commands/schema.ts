// `loyal schema`: prints the JSON Schema of the data file (the build writes it to
// dist/loyal.schema.json for the extension's jsonValidation).
import type { CliCommand } from '../command';
import { loyalJsonSchema } from '../schema';

export const schemaCommand: CliCommand = {
  name: 'schema',
  summary: 'print the JSON Schema of the data file',
  usage: 'schema',
  flags: () => ({}),
  async run(ctx) {
    ctx.io.stdout(`${JSON.stringify(loyalJsonSchema(), null, 2)}\n`);
  },
};
