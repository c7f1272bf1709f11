/**
 * The thin adapter from the pure tray model to Electron's menu template: status lines become
 * disabled labels, actions call back with their id. No decisions are made here.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction, TrayModel } from './tray-model.js';

export function menuTemplate(
  model: TrayModel,
  onAction: (action: MenuAction) => void,
): MenuItemConstructorOptions[] {
  return model.items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'status':
        return { label: item.label, enabled: false };
      case 'action':
        return { label: item.label, enabled: item.enabled, click: () => onAction(item.id) };
      case 'checkbox':
        return {
          type: 'checkbox',
          label: item.label,
          checked: item.checked,
          enabled: item.enabled,
          click: () => onAction(item.id),
        };
    }
  });
}
