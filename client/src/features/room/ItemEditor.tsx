import type { Question } from '@parley/shared/template/schema';
import { usePrivateState, useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';
import { writeAnswer } from './answers';
import { QuestionField } from './QuestionField';
import { RatingKey } from './RatingScale';

/**
 * The person's own answer to one item, edited where the reveal shows it. It writes the private
 * doc exactly as the form does; after the reveal the server mirrors the change and marks it.
 */
export function ItemEditor({ question }: { question: Question }) {
  const { session } = useRoom();
  const { answers } = usePrivateState();
  const rated = question.type === 'rating' || question.type === 'dual_rating';
  return (
    <div className="item-editor">
      <p className="hint">{strings.room.editAfterRevealHelp}</p>
      {rated && <RatingKey />}
      <QuestionField idPrefix="edit-" labelHidden question={question} answer={answers[question.id]} onChange={(patch) => writeAnswer(session.privateDoc, question.id, patch)} />
    </div>
  );
}
