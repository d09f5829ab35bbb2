/**
 * The open competition package: its format (format.ts, with the JSON Schema) and the verifier
 * that recomputes a package's published results from its marks (verify.ts). Pure, no I/O.
 */
export { competitionPackageSchema, packageJsonSchema, PACKAGE_FORMAT, PACKAGE_VERSION } from './format.ts';
export type { CompetitionPackage, PackageEvent, PackageResult, PackageRound } from './format.ts';
export { verificationLines, verifyEvent, verifyPackage } from './verify.ts';
export type { EventVerification, PackageVerification, VerifyProblem } from './verify.ts';
