import { Notice } from '../../components/Notice';
import { strings } from '../../lib/strings';

/** What a deleted room says: right after the delete, and after any later reload of its address. */
export function DeletedNotice({ byMe = false }: { byMe?: boolean }) {
  return (
    <Notice heading={strings.room.deletedHeading}>
      <p>{byMe ? strings.room.deletedByYou : strings.room.deletedBody}</p>
      <a className="button button--secondary" href="/">
        {strings.common.backHome}
      </a>
    </Notice>
  );
}
