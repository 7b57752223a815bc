import { createHash } from 'node:crypto';

/**
 * A parameter that may appear several times in one statement: every occurrence of the same `Param` is the same
 * `$n` (plain values interpolated twice become two parameters).
 */
export class Param {
  constructor(readonly value: unknown) {}
}

/** Text that goes into a statement as it is: identifiers and column lists built from constants, never input. */
export class Raw {
  constructor(readonly text: string) {}
}

/**
 * A SQL statement or fragment built by the `sql` tag. Its pieces of text and its parameters are kept apart
 * until it is run, so fragments nest and statements join without renumbering anything: `text` numbers the
 * placeholders $1, $2, … in the order they appear. It is a node-postgres query config (`text`, `values`).
 */
export class Sql {
  private rendered?: { text: string; values: unknown[] };

  /** `strings` has one more element than `params`: the text around each parameter. */
  private constructor(
    readonly strings: readonly string[],
    readonly params: readonly unknown[],
    /** Its CTE's name when joined by `withStatements`, so that a later statement can read its RETURNING rows. */
    readonly cte?: string,
  ) {}

  /** @internal Builds a fragment from template pieces, inlining nested fragments and raw text. */
  static of(strings: readonly string[], args: readonly unknown[]): Sql {
    const out: string[] = [strings[0]];
    const params: unknown[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg instanceof Sql) {
        out[out.length - 1] += arg.strings[0];
        for (let j = 0; j < arg.params.length; j++) {
          params.push(arg.params[j]);
          out.push(arg.strings[j + 1]);
        }
        out[out.length - 1] += strings[i + 1];
      } else if (arg instanceof Raw) {
        out[out.length - 1] += arg.text + strings[i + 1];
      } else {
        params.push(arg);
        out.push(strings[i + 1]);
      }
    }
    return new Sql(out, params);
  }

  /** The same statement as the CTE `name` of `withStatements`. */
  as(name: string): Sql {
    return new Sql(this.strings, this.params, name);
  }

  /** The statement's text with its placeholders numbered. */
  get text(): string {
    return this.render().text;
  }

  /** The parameters, in placeholder order (a `Param` used several times appears once). */
  get values(): unknown[] {
    return this.render().values;
  }

  private render(): { text: string; values: unknown[] } {
    if (this.rendered) return this.rendered;
    const values: unknown[] = [];
    const numbers = new Map<Param, number>();
    let text = this.strings[0];
    for (let i = 0; i < this.params.length; i++) {
      const param = this.params[i];
      let n: number;
      if (param instanceof Param) {
        n = numbers.get(param) ?? values.push(param.value);
        numbers.set(param, n);
      } else {
        n = values.push(param);
      }
      text += `$${n}${this.strings[i + 1]}`;
    }
    return (this.rendered = { text, values });
  }
}

/**
 * The tag of every statement: `sql\`UPDATE x SET a = ${v} WHERE id = ${id}\`` is `UPDATE x SET a = $1 WHERE
 * id = $2` with `[v, id]`. A `Sql` interpolated is nested (its parameters numbered in place), `raw(text)` is
 * inlined as text, a `Param` is one parameter wherever it appears, and any other value is a parameter.
 */
export function sql(strings: TemplateStringsArray, ...args: unknown[]): Sql {
  return Sql.of(strings, args);
}

/** Trusted text (identifiers, column lists built from constants) to inline in a statement; never input. */
export function raw(text: string): Raw {
  return new Raw(text);
}

/** A value to use several times in one statement as one parameter. */
export function param(value: unknown): Param {
  return new Param(value);
}

/** The fragments one after the other, `separator` between them. */
export function join(fragments: readonly Sql[], separator: string): Sql {
  if (fragments.length === 0) return Sql.of([''], []);
  const strings = ['', ...fragments.slice(1).map(() => separator), ''];
  return Sql.of(strings, fragments);
}

/**
 * Joins data-modifying statements into one (each becomes a CTE, named `s<i>` unless `as(name)` named it), so
 * they run in one round trip and as one atomic statement. Foreign keys between them hold: Postgres checks them
 * at the end of the statement. `select` is the main query; it may read the CTEs' RETURNING rows (a check
 * failing in it undoes every CTE).
 */
export function withStatements(statements: readonly Sql[], select: Sql = sql`SELECT 1`): Sql {
  const ctes = statements.map((statement, i) => sql`${raw(statement.cte ?? `s${i}`)} AS (${statement})`);
  return sql`WITH ${join(ctes, ',\n')} ${select}`;
}

/**
 * The statements run as one: a single statement as it is, several joined by `withStatements`; none when empty.
 */
export function oneStatement(statements: readonly Sql[]): Sql | undefined {
  if (statements.length === 0) return undefined;
  return statements.length === 1 ? statements[0] : withStatements(statements);
}

/**
 * The statement as a named prepared statement (node-postgres `QueryConfig`): each connection parses and
 * analyses it once, and Postgres may keep a generic plan for it. For hot statements built from a handful of
 * shapes: the name is derived from the text, so each shape gets its own.
 */
export function prepared(statement: { text: string; values: unknown[] }): {
  name: string;
  text: string;
  values: unknown[];
} {
  const { text, values } = statement;
  return { name: `pl_${createHash('sha1').update(text).digest('base64url')}`, text, values };
}
