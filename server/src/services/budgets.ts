/**
 * Project budgets: a monthly limit (exact decimal cents) with an alert threshold and an optional
 * hard stop. With the hard stop, new runs are refused (402 `budget_exceeded`) once this month's
 * spend reached the limit, and running runs stop before their next paid call (engine/project-budget.ts).
 * Threshold and exceeded alerts go out once per month each.
 */
import type { BudgetJson } from "@flowtrace/contract/spend";
import { Prisma, type PrismaClient } from "../db/prisma.ts";
import { raiseAlert } from "./alerts.ts";
import { audit } from "./audit.ts";
import { RefusedError } from "./errors.ts";
import { monthOf, monthSpend } from "./spend.ts";

export async function getBudget(prisma: PrismaClient, projectId: string, now = new Date()): Promise<BudgetJson> {
  const budget = await prisma.projectBudget.findUnique({ where: { projectId } });
  const spent = await monthSpend(prisma, projectId, now);
  return {
    monthly_limit_cents: budget ? budget.monthlyLimitCents.toString() : null,
    alert_at_percent: budget?.alertAtPercent ?? 80,
    hard_stop: budget?.hardStop ?? false,
    month: monthOf(now).name,
    spent_cents: spent.cents,
    cost_complete: spent.complete,
  };
}

export async function setBudget(
  prisma: PrismaClient,
  projectId: string,
  input: { monthlyLimitCents: string | null; alertAtPercent: number; hardStop: boolean },
): Promise<BudgetJson> {
  if (input.monthlyLimitCents === null) {
    await prisma.projectBudget.deleteMany({ where: { projectId } });
  } else {
    const data = {
      monthlyLimitCents: new Prisma.Decimal(input.monthlyLimitCents),
      alertAtPercent: input.alertAtPercent,
      hardStop: input.hardStop,
    };
    await prisma.projectBudget.upsert({ where: { projectId }, create: { projectId, ...data }, update: data });
  }
  const details = {
    monthly_limit_cents: input.monthlyLimitCents,
    alert_at_percent: input.alertAtPercent,
    hard_stop: input.hardStop,
  };
  await audit(prisma, { action: "budget.update", targetType: "project", targetId: projectId, details }, projectId);
  // A limit set below what was already spent alerts now, not at the next run's end.
  await checkBudgetAlerts(prisma, projectId);
  return getBudget(prisma, projectId);
}

/** Where this month's spend stands against the budget (null: no budget). */
export async function budgetState(prisma: PrismaClient, projectId: string, now = new Date()) {
  const budget = await prisma.projectBudget.findUnique({ where: { projectId } });
  if (!budget) return null;
  const spent = new Prisma.Decimal((await monthSpend(prisma, projectId, now)).cents);
  const limit = budget.monthlyLimitCents;
  return {
    budget,
    spent,
    exceeded: spent.greaterThanOrEqualTo(limit),
    overThreshold: spent.greaterThanOrEqualTo(limit.mul(budget.alertAtPercent).div(100)),
    month: monthOf(now).name,
  };
}

export const budgetMessage = (limit: Prisma.Decimal, spent: Prisma.Decimal, month: string) =>
  `the project's monthly budget of ${limit.toString()} cents is used up (${spent.toString()} cents spent in ${month})`;

/** Refuse a new run of a project whose hard budget is used up (402 budget_exceeded). */
export async function assertWithinBudget(prisma: PrismaClient, projectId: string): Promise<void> {
  const state = await budgetState(prisma, projectId);
  if (state?.exceeded && state.budget.hardStop) {
    throw new RefusedError(
      402,
      "budget_exceeded",
      budgetMessage(state.budget.monthlyLimitCents, state.spent, state.month),
    );
  }
}

/** After spend grew: send the month's threshold and exceeded alerts, once each. */
export async function checkBudgetAlerts(prisma: PrismaClient, projectId: string, now = new Date()): Promise<void> {
  const state = await budgetState(prisma, projectId, now);
  if (!state) return;
  const { budget, spent, month } = state;
  const payload = {
    month,
    monthly_limit_cents: budget.monthlyLimitCents.toString(),
    spent_cents: spent.toString(),
    alert_at_percent: budget.alertAtPercent,
    hard_stop: budget.hardStop,
  };
  if (state.overThreshold && budget.alertedMonth !== month) {
    const claimed = await prisma.projectBudget.updateMany({
      where: { projectId, OR: [{ alertedMonth: null }, { alertedMonth: { not: month } }] },
      data: { alertedMonth: month },
    });
    if (claimed.count > 0) await raiseAlert(prisma, projectId, "budget.threshold", payload);
  }
  if (state.exceeded && budget.exceededMonth !== month) {
    const claimed = await prisma.projectBudget.updateMany({
      where: { projectId, OR: [{ exceededMonth: null }, { exceededMonth: { not: month } }] },
      data: { exceededMonth: month },
    });
    if (claimed.count > 0) await raiseAlert(prisma, projectId, "budget.exceeded", payload);
  }
}
