import { PageQuery } from '@postline/http';

/** `GET /account/notifications`: a page of the account's notifications, newest first. */
export class ListNotificationsQuery extends PageQuery {}
