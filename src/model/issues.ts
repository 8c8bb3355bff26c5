/**
 * Problems found while decoding a manifest, located by field path
 * (`spec.ingress.paths[1].pathType`), Kubernetes style.
 */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** Where a document came from: a file and the document's 1-based index in it. */
export interface SourceRef {
  readonly file: string;
  readonly doc: number;
}

/** A problem in a manifest file, located as `file#doc field: message`. */
export interface ManifestError extends FieldIssue {
  readonly file: string;
  /** 1-based document index; 0 when the problem concerns the whole file. */
  readonly doc: number;
}

export function formatManifestError(error: ManifestError): string {
  const where = error.doc > 0 ? `${error.file}#${error.doc}` : error.file;
  return error.field ? `${where} ${error.field}: ${error.message}` : `${where}: ${error.message}`;
}

export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** A short, safe rendering of a user-supplied value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
      return JSON.stringify(shown);
    }
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return String(value);
  }
}
