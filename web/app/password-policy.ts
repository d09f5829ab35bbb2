import { PASSWORD_PROBLEM_TEXT, passwordProblem, type PasswordProblem } from '../../server/domain/password-policy.ts';
import { t } from './i18n.ts';

/** The server's password rule as the page checks it while the person types (the same code). */
export { passwordProblem };

/** A password refusal in the user's language: the server words it in English (PASSWORD_PROBLEM_TEXT). */
export function passwordProblemText(message: string | undefined): string | undefined {
  const problem = (Object.keys(PASSWORD_PROBLEM_TEXT) as PasswordProblem[]).find((p) => PASSWORD_PROBLEM_TEXT[p] === message);
  return problem ? t(`password.err.${problem}`) : message;
}
