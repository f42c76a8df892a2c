/**
 * Word lists the redactor reads values by: which first words make "password is …" a complaint
 * rather than a password, and which words end the clause a value runs to.
 */

/** A set of the whitespace-separated words in `s`. */
export const words = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

/**
 * First words after "password is" in complaints ("my password is not working"): not a password.
 * A false positive would hide the customer's problem and warn them for nothing.
 */
export const NOT_A_VALUE = words(`
  not wrong incorrect invalid expired locked blocked too the a an my correct right working still being case forgotten lost
  also same different reset changed required missing no never always now and or but for to of on in it that this what weak
  strong long short rejected accepted saved stored gone broken fine ok okay there here set supposed asking asked needed
  stuck case-sensitive unknown empty help please again anymore any all so just really very definitely probably forgot forget
  remember with from at by is was be i you we they he she who which where when how why if because since until then recovery
  change update updated expiring expire expires doesnt doesn't dont don't wont won't cant can't isnt isn't wasnt wasn't
  manager field box page screen link email code question questions answer answers did does do has have had will would should
  could can may might must shall hint hints requirements rules policy problem issue been me mine gonna going about like
  kinda apparently suddenly somehow saying says showing sent emailed texted something nothing good bad old new temporary temp
  hidden compromised hacked stolen leaked known similar simple easy hard complicated valid alright 2fa otp your his her their
  our its it's yet thanks thank pls thx
`);

/** Complaints that do not become secrets even after "password:" ("password: forgot it"). */
export const COMPLAINTS = words(`
  not forgot forgotten reset expired locked blocked wrong incorrect invalid help unknown none n/a lost changed same missing
  doesnt doesn't dont don't wont won't cant can't isnt isn't ? ?? ??? same-as
`);

/** Security answers are free text ("the name of my dog"), so only complaints are let through. */
export const NOT_AN_ANSWER = words(`
  not wrong incorrect invalid locked blocked case-sensitive too correct right missing required forgotten lost expired
  rejected accepted still always never no yes being asking asked needed changed reset and or but for to of on in doesnt
  doesn't dont don't isnt isn't wasnt wasn't wont won't cant can't question questions hint field box page forgot working
  something what which there here also it
`);

/** After a bare "the answer is …" (no security question named), more ordinary words are let through. */
export const NOT_A_GENERIC_ANSWER = new Set([...NOT_AN_ANSWER, ...words(`
  that this the a an simple easy obvious clear below above in on at yes no maybe probably nothing none unclear same i you we
  they he she to your my
`)]);

/** A value stops before these words: the customer has moved on to a new clause ("hunter2 but it fails"). */
export const ALWAYS_STOP = words(`
  but because cause cuz coz though although however whereas unless until till if when whenever while please pls plz thanks
  thank thx ty why how what can't cant cannot doesn't doesnt don't dont didn't didnt isn't isnt wasn't wasnt won't wont
  wouldn't wouldnt aren't arent haven't havent hasn't hasnt help anymore sorry btw fyi
`);
/** "and", "or", "so" end a value only when a new clause follows ("hunter2 and it fails", not "salt and pepper"). */
export const SOFT_STOP = words('and or so then plus also & now');
export const CLAUSE_STARTS = words(`
  i i'm im i've ive i'd i'll ill it it's its they we you u he she this that these those my the your our his her still now
  nothing can could would will won't wont doesn't doesnt didn't didnt isn't isnt is was keeps says said please pls also not
  there what why how where who when if then so a an any some no yes yet just even another other username account phone number
  email card cvv cvc pin puk ssn social security mother's mothers maiden password pw pwd passwd passcode pass new old current
`);
/** "hunter2 it doesn't work": a subject and a verb start a new clause. */
export const SUBJECTS = words('i it that this they we you he she which');
export const SUBJECT_VERBS = words(`
  doesn't doesnt don't dont didn't didnt isn't isnt wasn't wasnt won't wont can't cant cannot is was keeps says said still
  never am have has had tried try will would can could not also just got get gets need needs want wants works work worked
  fails fail failed forgot think guess believe hope changed reset typed type entered used
`);
