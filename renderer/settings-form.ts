/** The Settings form's inputs: fields, the sign-in flow choice, the groups. */
import type { SecretField, SecretState, SettingsForm, SettingsLoad } from '../src/shared/ipc.js';
import { h } from './dom.js';
import type { FieldGroup, FieldView } from './settings-fields.js';

/** What the inputs edit, and whom they tell: `changed(true)` when other fields may appear. */
export interface FormModel {
  load: SettingsLoad;
  form: SettingsForm;
  changed(rerender: boolean): void;
}

const SECRET_PLACEHOLDER: Record<SecretState, string> = {
  encrypted: '•••••• stored, encrypted',
  'config-file': '•••••• in config.toml',
  none: '',
};

const SECRET_HELP: Record<SecretState, string | undefined> = {
  encrypted: 'Leave empty to keep the stored value.',
  'config-file': 'Now in config.toml as plain text; saving moves it to encrypted storage.',
  none: undefined,
};

const secretState = (view: FieldView, s: FormModel): SecretState =>
  s.load.secrets[view.field as SecretField] ?? 'none';

function input(view: FieldView, s: FormModel): HTMLElement {
  const id = `f-${view.field}`;
  const value = s.form[view.field];
  const onchange = (event: Event) => {
    s.form[view.field] = (event.target as HTMLInputElement | HTMLSelectElement).value;
    // A choice may show or hide other fields; typing does not re-render (focus stays).
    s.changed(Boolean(view.options));
  };
  if (view.options) {
    return h(
      'select',
      { id, name: view.field, onchange },
      view.options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
    );
  }
  const el = h('input', {
    id,
    name: view.field,
    type: view.secret ? 'password' : 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: view.secret ? SECRET_PLACEHOLDER[secretState(view, s)] : view.placeholder,
    onchange,
  });
  el.value = value;
  return el;
}

function field(view: FieldView, s: FormModel): HTMLElement {
  return h(
    'div',
    { class: `field${view.wide ? ' wide' : ''}`, 'data-field': view.field },
    h('label', { for: `f-${view.field}` }, view.label),
    input(view, s),
    view.help ? h('p', { class: 'help' }, view.help) : null,
    view.secret ? h('p', { class: 'help' }, SECRET_HELP[secretState(view, s)]) : null,
    h('p', { class: 'field-error', 'aria-live': 'polite' }),
  );
}

function flowChoice(s: FormModel): HTMLElement {
  const option = (value: SettingsForm['flow'], title: string, text: string) =>
    h(
      'label',
      { class: `choice${s.form.flow === value ? ' chosen' : ''}` },
      h('input', {
        type: 'radio',
        name: 'flow',
        value,
        checked: s.form.flow === value,
        onchange: () => {
          s.form.flow = value;
          s.changed(true);
        },
      }),
      h('span', {}, h('b', {}, title), h('span', { class: 'muted block' }, text)),
    );
  return h(
    'div',
    { class: 'choices', role: 'radiogroup', 'aria-label': 'Sign-in flow' },
    option(
      'desktop',
      'Desktop',
      'Sign in with the browser on this computer. No secret, no certificate.',
    ),
    option(
      'web',
      'Web',
      'The original tool’s way: client secret and an HTTPS listener with your certificate.',
    ),
  );
}

export function group(g: FieldGroup, s: FormModel): HTMLElement {
  const enabled = g.toggle ? s.form[g.toggle] : true;
  const toggle = g.toggle
    ? h(
        'label',
        { class: 'toggle' },
        h('input', {
          type: 'checkbox',
          name: g.toggle,
          checked: enabled,
          onchange: (event: Event) => {
            s.form.mailEnabled = (event.target as HTMLInputElement).checked;
            s.changed(true);
          },
        }),
        ' Send mail alerts',
      )
    : null;
  const fields = enabled
    ? g.fields.filter((f) => !f.when || f.when(s.form)).map((f) => field(f, s))
    : [];
  return h(
    'fieldset',
    { class: 'card', 'data-group': g.title },
    h('legend', {}, g.title),
    g.intro ? h('p', { class: 'muted' }, g.intro) : null,
    g.title === 'OneDrive' ? flowChoice(s) : null,
    toggle,
    fields.length ? h('div', { class: 'fields' }, fields) : null,
  );
}
