/** `client.assignments`: which devices (and users) hold which licences. */
import type { RequestOptions } from '@schoolmdm/core';
import { createList } from '../internal/list.js';
import type { Session } from '../internal/session.js';
import { type Assignment, AssignmentsPage } from '../schemas.js';
import type { AppsAndBooksList, ListAssignmentsParams } from '../types.js';

/** The assignments resource. */
export class AssignmentsResource {
  readonly #session: Session;

  /** @internal Use `client.assignments`. */
  constructor(session: Session) {
    this.#session = session;
  }

  /**
   * Every assignment (`GET assignments`), up to 5 pages in parallel, in order. For incremental
   * reads keep `list.versionId` after a walk and pass it as `sinceVersionId` next time. If the
   * data changes during a walk (another `versionId` on a later page) the walk stops with
   * {@link ListChangedError} rather than skip or repeat records.
   *
   * @example
   * ```ts
   * const all = client.assignments.list();
   * for await (const a of all) held.add(`${a.adamId} ${a.serialNumber}`);
   * const changes = client.assignments.list({ sinceVersionId: all.versionId });
   * ```
   */
  list(params: ListAssignmentsParams = {}, options: RequestOptions = {}): AppsAndBooksList<Assignment> {
    return createList(
      this.#session,
      {
        path: 'assignments',
        query: {
          serialNumber: params.serialNumber,
          adamId: params.adamId,
          clientUserId: params.clientUserId,
          sinceVersionId: params.sinceVersionId,
        },
        schema: AssignmentsPage,
        items: (page) => page.assignments,
        resource: 'assignments',
        stopOnVersionChange: true,
      },
      options,
    );
  }
}
