import { PageQuery } from '@postline/http';

/** `GET /templates`: a page of the account's templates, no filter of its own. */
export class ListTemplatesQuery extends PageQuery {}
