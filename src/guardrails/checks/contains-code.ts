/**
 * Contains code, optionally in a given language. Fenced blocks name their
 * language (```py); untagged blocks and unfenced text are recognised by
 * signatures (keywords and shapes that prose does not have).
 */
import type { CheckOf } from './check-schemas.js';
import { joinedText, type CheckOutcome, type CheckSubject } from './check-types.js';

/** Fence tags and common names → one language name. */
const aliases: Readonly<Record<string, string>> = {
  py: 'python', python3: 'python', gyp: 'python',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript', node: 'javascript',
  ts: 'typescript', tsx: 'typescript',
  sh: 'shell', bash: 'shell', zsh: 'shell', console: 'shell', shell: 'shell',
  rb: 'ruby', rs: 'rust', kt: 'kotlin', kts: 'kotlin', cs: 'csharp', 'c#': 'csharp', 'c++': 'cpp', cc: 'cpp', hpp: 'cpp',
  golang: 'go', yml: 'yaml', htm: 'html', md: 'markdown', psql: 'sql', mysql: 'sql', postgres: 'sql', postgresql: 'sql', plsql: 'sql',
  dockerfile: 'dockerfile', docker: 'dockerfile', pl: 'perl', r: 'r',
};

export function normaliseLanguage(name: string): string {
  const lower = name.trim().toLowerCase();
  return aliases[lower] ?? lower;
}

/** Signatures: a language is recognised when one of its patterns matches. */
const signatures: readonly (readonly [string, RegExp])[] = [
  ['python', /^\s*(?:def \w+\(.*\)\s*(?:->\s*[\w[\], .]+)?:|class \w+(?:\(.*\))?:|from [\w.]+ import \w|import \w+(?:\.\w+)*\s*$|if __name__ == ['"]__main__['"]:)/m],
  ['typescript', /(?:^|\s)(?:interface \w+ \{|type \w+ = |(?:const|let) \w+: [\w<>[\]|]+ =|function \w+\([^)]*: \w+[^)]*\)(?:: [\w<>[\]]+)? \{)/m],
  ['javascript', /(?:^|\s)(?:function \w*\([^)]*\) \{|(?:const|let|var) \w+ = (?:\(.*\) =>|require\(|await |function|\{|\[|new )|console\.log\(|module\.exports|document\.\w+\(|export (?:default |const |function ))/m],
  // Upper-case keywords are SQL; lower-case ones only with SQL's shapes ("select the best one from the list" is prose).
  ['sql', /\b(?:SELECT\s+[\w*.,() ]{1,200}?\s+FROM\s+\w+|INSERT\s+INTO\s+\w+|DELETE\s+FROM\s+\w+|UPDATE\s+\w+\s+SET\s+\w+\s*=|CREATE\s+(?:TABLE|INDEX|VIEW)\s+\w+|DROP\s+TABLE\s+\w+)/],
  ['sql', /\b(?:select\s+(?:\*|[\w.]+\s*,\s*[\w.]+|count\(|distinct\s)[^;\n]{0,200}?\bfrom\s+\w+|insert\s+into\s+\w+\s*(?:\(|values\b)|delete\s+from\s+\w+\s+where\b|update\s+\w+\s+set\s+\w+\s*=|create\s+(?:table|index|view)\s+(?:if\s+not\s+exists\s+)?[\w.]+\s*(?:\(|as\b|on\b)|drop\s+table\s+(?:if\s+exists\s+)?[\w.]+\s*;)/i],
  ['java', /\b(?:public\s+(?:static\s+)?(?:void|class|int|String)\s+\w+|System\.out\.println\(|import java\.)/],
  ['go', /(?:^|\n)\s*(?:package \w+\s*\n|func (?:\(\w+ \*?\w+\) )?\w+\([^)]*\)[^{\n]*\{|import \(\s*\n)|\bfmt\.Print/],
  ['rust', /\b(?:fn \w+(?:<[^>]*>)?\([^)]*\)(?:\s*->\s*[\w<>&]+)?\s*\{|let mut \w+|impl(?:<[^>]*>)? \w+|println!\()/],
  ['cpp', /(?:#include\s*<\w+(?:\.h)?>|std::\w+|int main\s*\([^)]*\)\s*\{)/],
  ['csharp', /\b(?:using System(?:\.\w+)*;|namespace \w+(?:\.\w+)*\s*\{|Console\.WriteLine\()/],
  ['ruby', /(?:^|\n)\s*(?:def \w+[?!]?(?:\(.*\))?\s*\n[\s\S]*?\n\s*end\b|require ['"]\w+['"]|puts ['"])/],
  ['php', /<\?php|\$\w+\s*=\s*[^=;]+;\s*\n?.*\becho\b/],
  ['shell', /(?:^#!\/(?:usr\/)?bin\/(?:env )?(?:ba|z)?sh|^\s*\$ (?:sudo |npm |pip |git |cd |ls |curl |docker )|^\s*(?:sudo )?(?:apt-get|apt|yum|brew) install )/m],
  ['html', /<(?:html|head|body|div|span|script|table|form|p|a|ul|li)(?:\s[^>]*)?>[\s\S]*<\/(?:html|head|body|div|span|script|table|form|p|a|ul|li)>/i],
  ['css', /(?:^|\n)[ \t]*[.#]?[A-Za-z][\w-]*(?:(?:[ \t]*[>+~,][ \t]*|[ \t]+)[.#:]?[A-Za-z][\w-]*){0,5}[ \t]*\{[ \t\n]*[a-z-]+[ \t]*:[^;{}\n]+;/],
  ['yaml', /(?:^|\n)[\w-]+:[ \t]*\n(?:[ \t]+[\w-]+:[^\n]*(?:\n|$)){2,}/],
  ['dockerfile', /^FROM[ \t]+[\w./:-]+[^\n]*\n[\s\S]*?^(?:RUN|COPY|CMD|ENTRYPOINT|WORKDIR)[ \t]/m],
];

const fence = /```[ \t]*([\w#+.-]*)[^\n]*\n([\s\S]*?)```/g;

function recognise(text: string, into: Set<string>): void {
  const recognised = signatures.filter(([, pattern]) => pattern.test(text)).map(([language]) => language);
  // TypeScript code also has JavaScript's shapes.
  for (const language of recognised) if (!(language === 'javascript' && recognised.includes('typescript'))) into.add(language);
}

/** The languages of the code in a text ('unknown' for a fenced block that names none and matches no signature). */
export function detectLanguages(text: string): Set<string> {
  const found = new Set<string>();
  let fenced = false;
  for (const match of text.matchAll(fence)) {
    fenced = true;
    const tag = match[1] ? normaliseLanguage(match[1]) : '';
    if (tag && tag !== 'text' && tag !== 'plaintext' && tag !== 'txt') {
      found.add(tag);
      continue;
    }
    const before = found.size;
    recognise(match[2]!, found);
    if (found.size === before && !tag) found.add('unknown');
  }
  if (!fenced) recognise(text, found);
  return found;
}

export function runContainsCode(check: CheckOf<'contains_code'>, subject: CheckSubject): CheckOutcome {
  const languages = detectLanguages(joinedText(subject));
  const wanted = check.language === undefined ? undefined : normaliseLanguage(check.language);
  const present = wanted === undefined ? languages.size > 0 : languages.has(wanted);
  const what = wanted === undefined ? 'code' : `${wanted} code`;
  const seen = languages.size > 0 ? ` (found: ${[...languages].sort().join(', ')})` : '';
  const explanation = present ? `the text contains ${what}${seen}` : `the text contains no ${what}${seen}`;
  return { passed: check.not ? !present : present, explanation };
}
