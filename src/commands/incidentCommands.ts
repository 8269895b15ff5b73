// Incidents: the short "log incident" flow, advancing the recovery, resolving with the rules;
// releases (by hand or from git tags) for the trend review.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import type { LoyalSession } from '../session';
import type { LoyalViews } from '../views/loyalViews';
import { IncidentNode } from '../views/incidentsView';
import type { Category, Channel, Incident, Severity } from '../domain/records';
import { nowInstant, today } from '../domain/time';
import { advanceRecovery, applyResolve } from '../domain/recovery';
import { releasesFromTags } from '../domain/releases';
import { normaliseAmount } from '../domain/money';
import { customerFrom } from './customerCommands';
import { askDay, askSteps, askText, pick } from './inputs';
import { asRuleTx, parsePreset, runCommand } from './run';
import { z } from 'zod';
import { Category as CategorySchema, Channel as ChannelSchema, Severity as SeveritySchema, Cause as CauseSchema } from '../domain/records';

function incidentFrom(session: LoyalSession, arg: unknown): Incident | undefined {
  const id = arg instanceof IncidentNode ? arg.incident.id : typeof arg === 'string' ? arg : (arg as { incidentId?: string } | undefined)?.incidentId;
  return id && session.state === 'ok' ? session.file.incidents.find((i) => i.id === id) : undefined;
}

/** Arguments that run the command without prompts (keybindings, other extensions, tests). */
const LogPreset = z.strictObject({
  customerId: z.string(),
  summary: z.string().min(1),
  category: CategorySchema,
  severity: SeveritySchema.default('minor'),
  channel: ChannelSchema.default('other'),
  cause: CauseSchema.optional(),
  component: z.string().optional(),
  tags: z.array(z.string()).optional(),
});
const ResolvePreset = z.strictObject({
  incidentId: z.string(),
  fairSolution: z.string().optional(),
  extraMile: z.string().optional(),
  extraMileCost: z.string().optional(),
  resolutionNote: z.string().optional(),
  lessonsLearned: z.string().optional(),
});

export function categoryItems(): Array<{ value: Category; label: string; description: string }> {
  return [
    { value: 'product', label: vscode.l10n.t('Product'), description: vscode.l10n.t('the product or service itself was not flawless') },
    { value: 'people', label: vscode.l10n.t('People'), description: vscode.l10n.t('someone was not caring, polite or helpful') },
    { value: 'timeliness', label: vscode.l10n.t('Timeliness'), description: vscode.l10n.t('late, as the customer defines on time') },
    { value: 'process', label: vscode.l10n.t('Process'), description: vscode.l10n.t('a policy, system or procedure got in the way') },
    { value: 'other', label: vscode.l10n.t('Other'), description: '' },
  ];
}

export function registerIncidentCommands(context: vscode.ExtensionContext, session: LoyalSession, _views: LoyalViews): void {
  const register = (id: string, handler: (...args: unknown[]) => Promise<unknown> | unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(() => handler(...args))));
  };
  const pickOpenIncident = async (title: string): Promise<Incident | undefined> => {
    const open = session.file.incidents.filter((i) => !i.resolvedAt).sort((a, b) => b.openedAt.localeCompare(a.openedAt));
    const chosen = await vscode.window.showQuickPick(
      open.map((i) => ({ label: session.figures.customerName(i.customerId), description: i.summary, detail: i.openedAt.slice(0, 16).replace('T', ' '), id: i.id })),
      { title, matchOnDescription: true, ignoreFocusOut: true },
    );
    return chosen ? session.file.incidents.find((i) => i.id === chosen.id) : undefined;
  };

  register('loyal.incident.log', async (arg) => {
    const preset = parsePreset(LogPreset, arg);
    if (preset) {
      const incident = await session.store!.update((tx) => tx.insert('incidents', { openedAt: nowInstant(), cause: 'unknown', staff: session.user, reopenCount: 0, tags: [], ...preset }));
      return incident.id;
    }
    const customer = await customerFrom(session, arg, vscode.l10n.t('Log incident'));
    if (!customer) return;
    const title = vscode.l10n.t('Log an incident for {0}', customer.name);
    const summary = await askText({ title, prompt: vscode.l10n.t('What went wrong, in a few words'), required: true });
    if (!summary) return;
    const category = await pick<Category>(title, categoryItems(), vscode.l10n.t('Which of the four factors of satisfaction failed?'));
    if (!category) return;
    const severity = await pick<Severity>(title, [
      { value: 'minor', label: vscode.l10n.t('Minor') },
      { value: 'major', label: vscode.l10n.t('Major') },
      { value: 'critical', label: vscode.l10n.t('Critical') },
    ]);
    if (!severity) return;
    const channel = await pick<Channel>(
      title,
      [
        { value: 'email', label: vscode.l10n.t('Email') },
        { value: 'phone', label: vscode.l10n.t('Phone') },
        { value: 'in-person', label: vscode.l10n.t('In person') },
        { value: 'chat', label: vscode.l10n.t('Chat') },
        { value: 'social', label: vscode.l10n.t('Social media') },
        { value: 'other', label: vscode.l10n.t('Other') },
      ],
      vscode.l10n.t('How did the customer tell you?'),
    );
    if (!channel) return;
    const tagsText = await askText({ title, prompt: vscode.l10n.t('Tags, separated by commas (e.g. late delivery)') });
    if (tagsText === undefined) return;
    const tags = [
      ...new Set(
        tagsText
          .split(',')
          .map((t) => t.trim().toLocaleLowerCase())
          .filter(Boolean),
      ),
    ];
    const incident = await session.store!.update((tx) =>
      tx.insert('incidents', { customerId: customer.id, openedAt: nowInstant(), channel, category, severity, cause: 'unknown', summary, tags, staff: session.user, reopenCount: 0 }),
    );
    const more = vscode.l10n.t('Open the full form');
    void vscode.window.showInformationMessage(vscode.l10n.t('Incident logged for {0}. First step: acknowledge and apologise.', customer.name), more).then((answer) => {
      if (answer === more) void vscode.commands.executeCommand('loyal.incident.edit', incident.id);
    });
    return incident.id;
  });

  register('loyal.incident.advance', async (arg) => {
    const incident = incidentFrom(session, arg) ?? (await pickOpenIncident(vscode.l10n.t('Advance which recovery?')));
    if (!incident) return;
    if (incident.acknowledgedAt && incident.understoodAt) return vscode.commands.executeCommand('loyal.incident.resolve', incident.id);
    const { patch } = advanceRecovery(incident, nowInstant());
    await session.store!.update((tx) => tx.patch('incidents', incident.id, patch));
  });

  register('loyal.incident.resolve', async (arg) => {
    const preset = parsePreset(ResolvePreset, arg);
    if (preset) {
      const figures = session.figures;
      const { incidentId, ...answers } = preset;
      return session.store!.update((tx) =>
        applyResolve(asRuleTx(tx), incidentId, { at: nowInstant(), by: session.user, ...answers }, figures.ruleSettings, (id: string) => figures.isTopValue(id), figures.notePhrases),
      );
    }
    const incident = incidentFrom(session, arg) ?? (await pickOpenIncident(vscode.l10n.t('Resolve which incident?')));
    if (!incident) return;
    if (incident.resolvedAt) return void vscode.window.showInformationMessage(vscode.l10n.t('This incident is already resolved.'));
    const customer = session.figures.customerName(incident.customerId);
    const title = vscode.l10n.t('Resolve the incident of {0}', customer);
    // One box, five steps, each prefilled from the incident (the form's Resolve saves first).
    const answers = await askSteps(title, [
      { prompt: vscode.l10n.t('What did the customer consider fair? (optional)'), value: incident.fairSolution },
      { prompt: vscode.l10n.t('The extra mile: what did you give beyond that? (optional)'), value: incident.extraMile },
      {
        prompt: vscode.l10n.t('What did the extra mile cost, in {0}? (optional)', session.settings.currency),
        value: incident.extraMileCost,
        placeHolder: '25.00',
        validate: (t) => (!t.trim() || normaliseAmount(t) !== undefined ? undefined : vscode.l10n.t('Enter an amount such as 129.90, with a dot for decimals.')),
        skip: (so) => !so[1].trim() && !incident.extraMileCost,
      },
      { prompt: vscode.l10n.t('What was done (resolution note)'), value: incident.resolutionNote },
      { prompt: vscode.l10n.t('Lessons learned (optional). Enter resolves the incident and plans the follow-up.'), value: incident.lessonsLearned },
    ]);
    if (!answers) return;
    const [fairSolution, extraMile, cost, resolutionNote, lessonsLearned] = answers;
    const extraMileCost = cost ? normaliseAmount(cost) : undefined;
    const figures = session.figures;
    const plan = await session.store!.update((tx) =>
      applyResolve(
        asRuleTx(tx),
        incident.id,
        {
          at: nowInstant(),
          by: session.user,
          fairSolution: fairSolution || undefined,
          extraMile: extraMile || undefined,
          extraMileCost,
          resolutionNote: resolutionNote || undefined,
          lessonsLearned: lessonsLearned || undefined,
        },
        figures.ruleSettings,
        (customerId: string) => figures.isTopValue(customerId),
        figures.notePhrases,
      ),
    );
    const followUp = plan.followUps[0];
    const parts = [vscode.l10n.t('Resolved. Satisfaction check planned for {0}.', followUp?.due ?? '')];
    if (plan.notes.length) parts.push(vscode.l10n.t('A handwritten note is suggested in Handwritten notes.'));
    // Said twice: in the status bar, where the eyes are after the input box closes, and in a
    // notification that leads to what was planned.
    void vscode.window.setStatusBarMessage(`$(pass) ${parts.join(' ')}`, 15_000);
    const show = vscode.l10n.t('Show in Today');
    void vscode.window.showInformationMessage(parts.join(' '), show).then((answer) => {
      if (answer === show) void vscode.commands.executeCommand('loyal.showToday');
    });
    return plan;
  });

  register('loyal.release.add', async () => {
    if (session.state !== 'ok') return;
    const title = vscode.l10n.t('Add release');
    const known = [...new Set([...session.file.releases.map((r) => r.component), ...session.file.incidents.map((i) => i.component).filter((c): c is string => !!c)])];
    const component =
      known.length > 0
        ? await vscode.window.showQuickPick([...known.map((k) => ({ label: k })), { label: vscode.l10n.t('Another component…'), other: true }], { title, placeHolder: vscode.l10n.t('Component') })
        : { label: '', other: true };
    if (!component) return;
    const name = 'other' in component ? await askText({ title, prompt: vscode.l10n.t('Component'), required: true }) : component.label;
    if (!name) return;
    const version = await askText({ title, prompt: vscode.l10n.t('Version'), required: true });
    if (!version) return;
    const date = await askDay(title, vscode.l10n.t('Release date'), today());
    if (!date) return;
    await session.store!.update((tx) => tx.insert('releases', { component: name, version, date, source: 'manual' }));
  });

  register('loyal.releases.readGitTags', async () => {
    if (session.state !== 'ok' || !session.store) return;
    // A cloned repository's git configuration can make git run programs: not before trust.
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Loyal reads releases from git tags only in a trusted workspace. Trust this workspace first, or add releases by hand.'));
      return;
    }
    const cwd = dirname(session.store.path);
    const output = await new Promise<string>((resolve, reject) =>
      execFile('git', ['for-each-ref', '--format=%(refname:short)\t%(creatordate:iso-strict)', 'refs/tags'], { cwd, timeout: 10_000 }, (error, stdout) =>
        error ? reject(new Error(vscode.l10n.t('git could not list the tags here: {0}', error.message))) : resolve(stdout),
      ),
    );
    const tags = output
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name, date] = line.split('\t');
        return { name, date };
      });
    const found = releasesFromTags(tags, session.settings.releaseTagPattern);
    const existing = new Set(session.file.releases.map((r) => `${r.component}\u0000${r.version}`));
    const added = found.filter((r) => !existing.has(`${r.component}\u0000${r.version}`));
    if (added.length) await session.store.update((tx) => added.forEach((r) => tx.insert('releases', { ...r, source: 'git' })));
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} releases read from git tags matching {1} ({2} new).', found.length, session.settings.releaseTagPattern, added.length));
  });
}
