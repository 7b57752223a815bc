/** The Prisma enums IdentityKind and IdentityStatus, as OpenAPI enums. */
export const IDENTITY_KINDS = ['EMAIL_ADDRESS', 'DOMAIN'];
export const IDENTITY_STATUSES = ['PENDING', 'VERIFIED', 'FAILED', 'TEMPORARY_FAILURE', 'NOT_STARTED'];
