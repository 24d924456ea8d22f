/**
 * The version exports are stamped with (READMEs, provenance.json, generated code headers). The CLI
 * declares the same number (`batchbook --version`); an export made in the designer must carry it
 * too, or its files would differ from `batchbook export`'s for the same project.
 */
export const TOOL_VERSION = '0.1.0';
