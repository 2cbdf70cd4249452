/**
 * Writes apps/api/src/metadata.ts: the swagger CLI plugin's reading of every `*.dto.ts` class
 * (property types, optionality, nullability, JSDoc descriptions and @example tags), which
 * SwaggerModule.loadPluginMetadata turns into schemas. Generated ahead of time rather than by the
 * plugin inside `nest build`, so that Vitest (which compiles without the plugin) and the built app
 * describe the same document. Run after changing a DTO: `npm run openapi:metadata`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { PluginMetadataGenerator } from '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js';
import { ReadonlyVisitor } from '@nestjs/swagger/plugin';

const source = `${process.cwd()}/apps/api/src`;
const target = `${source}/metadata.ts`;
// The generator type-checks the project first: a stale file naming a removed DTO would stop it.
writeFileSync(target, 'export default async () => ({});\n');
new PluginMetadataGenerator().generate({
  visitors: [
    new ReadonlyVisitor({
      pathToSource: source,
      introspectComments: true,
      dtoFileNameSuffix: ['.dto.ts'],
      // Handlers return pre-built JSON (RawJson): their responses are declared with @ApiOkResponse & co.
      controllerFileNameSuffix: [],
      classValidatorShim: false,
    }),
  ],
  outputDir: source,
  tsconfigPath: 'apps/api/tsconfig.app.json',
  filename: 'metadata.ts',
  printDiagnostics: false,
});
// The printer heads the file with `/* eslint-disable */`, which oxlint honours as a blanket disable:
// the generated file is linted like the rest.
writeFileSync(target, readFileSync(target, 'utf8').replace(/^\/\* eslint-disable \*\/\n/, ''));
execFileSync(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--write', target], { stdio: 'inherit' });
