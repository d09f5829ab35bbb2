/**
 * `npm run package:schema`: writes the competition package's JSON Schema
 * (server/domain/package/package.schema.json) from its zod contract. A test fails when the file
 * kept in the repository and the contract disagree.
 */
import { writeFileSync } from 'node:fs';
import { packageJsonSchema } from '../domain/package/index.ts';

const file = new URL('../domain/package/package.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(packageJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
