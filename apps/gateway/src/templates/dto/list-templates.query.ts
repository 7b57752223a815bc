import { ListSuppressionsQuery } from '../../suppressions/dto/list-suppressions.query';

/** `GET /templates`: the same cursor and limit as every list. */
export class ListTemplatesQuery extends ListSuppressionsQuery {}
