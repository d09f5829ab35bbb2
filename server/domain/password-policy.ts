/**
 * What a staff password must be. China's graded protection baseline (等级保护 2.0, level 2) asks for
 * at least 8 characters mixing at least 3 of the 4 character classes; a password that contains the
 * account's own username is the first thing a guesser tries, so it is refused as well.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MIN_CLASSES = 3;
export const PASSWORD_MAX_LENGTH = 200;

export type PasswordProblem = 'too_short' | 'too_few_classes' | 'contains_username';

/** How many of capitals, small letters, digits and other characters the password uses. */
export function characterClasses(password: string): number {
  return [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** The first thing wrong with a password, or null when it may be used. */
export function passwordProblem(password: string, username?: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (characterClasses(password) < PASSWORD_MIN_CLASSES) return 'too_few_classes';
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) return 'contains_username';
  return null;
}

/** The refusal as the API words it (the web app translates by the problem's code). */
export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, string> = {
  too_short: `at least ${PASSWORD_MIN_LENGTH} characters`,
  too_few_classes: `at least ${PASSWORD_MIN_CLASSES} of: capital letters, small letters, digits, symbols`,
  contains_username: 'must not contain the username',
};
