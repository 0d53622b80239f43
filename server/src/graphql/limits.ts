/**
 * Limits on what one operation may ask for. Depth and alias floods are refused by GraphQL Armor's
 * rules; the cost rule is ours because Armor prices a connection without `first` as one item and a
 * page size given as a variable as one, where our connections default to 20 and allow 100.
 * Rejections are reported (not thrown) in our wording, which clients and the security tests read.
 */
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, Kind, type ValidationContext, type ValidationRule } from "graphql";
import type { Plugin } from "graphql-yoga";

export const LIMITS = { depth: 12, aliases: 30, cost: 50_000 } as const;

/** The number Armor found ("… exceeded, found 14."), for a message in our words. */
const found = (error: GraphQLError) => Number(/found (\d+)/.exec(error.message)?.[1] ?? Number.NaN);

function reportAs(message: (n: number) => string) {
  return [
    (ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(new GraphQLError(message(found(error)))),
  ];
}

export function depthLimit(max: number): ValidationRule {
  return maxDepthRule({
    n: max,
    flattenFragments: true,
    propagateOnRejection: false,
    onReject: reportAs((depth) => `query is nested ${depth} levels deep; the limit is ${max}`),
  }) as unknown as ValidationRule;
}

export function aliasLimit(max: number): ValidationRule {
  return maxAliasesRule({
    n: max,
    propagateOnRejection: false,
    onReject: reportAs((count) => `query uses ${count} aliases; the limit is ${max}`),
  }) as unknown as ValidationRule;
}

/**
 * A simple cost limit: every selected field costs 1, multiplied by the page size (`first`/`last`,
 * default 20) of the connections above it. Protects the database from huge nested pages.
 */
export function costLimit(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const cost = (
        set: { selections: readonly unknown[] } | undefined,
        multiplier: number,
        seen: Set<string>,
      ): number => {
        if (!set) return 0;
        let total = 0;
        for (const sel of set.selections as {
          kind: string;
          name?: { value: string };
          arguments?: { name: { value: string }; value: { kind: string; value?: string } }[];
          selectionSet?: { selections: readonly unknown[] };
        }[]) {
          if (sel.kind === Kind.FRAGMENT_SPREAD) {
            const name = sel.name?.value ?? "";
            const frag = context.getFragment(name);
            if (frag && !seen.has(name)) total += cost(frag.selectionSet, multiplier, new Set([...seen, name]));
            continue;
          }
          if (sel.kind === Kind.INLINE_FRAGMENT) {
            total += cost(sel.selectionSet, multiplier, seen);
            continue;
          }
          const page = sel.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
          // A page size given as a variable is priced at the connection maximum (100).
          const size = page ? (page.value.kind === Kind.INT ? Number(page.value.value) : 100) : 20;
          const isConnection = Boolean(
            sel.arguments?.some((a) => ["first", "last", "after", "before"].includes(a.name.value)),
          );
          total += multiplier + cost(sel.selectionSet, multiplier * (isConnection ? size : 1), seen);
        }
        return total;
      };
      const total = cost(node.selectionSet, 1, new Set());
      if (total > max) {
        context.reportError(
          new GraphQLError(`query cost ${total} exceeds the limit of ${max}; ask for smaller pages or fewer fields`, {
            nodes: [node],
          }),
        );
      }
    },
  });
}

/** The three limits as one yoga plugin. */
export function operationLimits(limits: { depth: number; aliases: number; cost: number } = LIMITS): Plugin {
  return {
    onValidate: ({ addValidationRule }: { addValidationRule: (rule: ValidationRule) => void }) => {
      addValidationRule(depthLimit(limits.depth));
      addValidationRule(aliasLimit(limits.aliases));
      addValidationRule(costLimit(limits.cost));
    },
  };
}
