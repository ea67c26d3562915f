// ContactsScreen — search, filter by category or favorites, add, edit,
// delete (administrators), star, and call a contact.
import { useState, type FormEvent } from 'react';
import { administers, useAccount } from '../account';
import { CONTACT_CATEGORIES, type Contact, type ContactCategory, type ContactInput } from '../api/types';
import { Avatar, EmptyState, Modal, useDebounced } from '../components/common';
import { Icon } from '../components/Icon';
import { useNotifier } from '../context';
import { useContactsApi } from '../hooks/useContactsApi';
import { CATEGORY_LABELS, categoryLabel } from '../lib/format';
import { formatPhone, toE164 } from '../lib/phone';

type Filter = '' | 'favorites' | ContactCategory;

const EMPTY: ContactInput = { name: '', phone: '', email: '', category: 'lead', is_favorite: false };

export function ContactsScreen({ onCall }: { onCall: (number: string, name: string) => void }) {
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('');
  const debounced = useDebounced(search, 250);
  const api = useContactsApi({
    search: debounced,
    category: filter === 'favorites' ? '' : filter,
    favorites: filter === 'favorites',
  });
  const { notify, notifyError } = useNotifier();
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  // Deleting a contact is for administrators (an agent gets 403); adding and editing are for all.
  const canDelete = administers(useAccount().me);

  const filters: { value: Filter; label: string }[] = [
    { value: '', label: 'All' },
    { value: 'favorites', label: 'Favorites' },
    ...CONTACT_CATEGORIES.map((c) => ({ value: c as Filter, label: CATEGORY_LABELS[c] })),
  ];

  return (
    <div className="screen">
      <div className="screen-head">
        <h1 className="screen-title">Contacts</h1>
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
          <Icon name="plus" size={18} /> Add contact
        </button>
      </div>

      <div className="toolbar">
        <div className="search">
          <Icon name="search" size={18} />
          <label htmlFor="contact-search" className="sr-only">
            Search contacts
          </label>
          <input
            id="contact-search"
            type="search"
            placeholder="Search by name, number or email"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div className="chips" role="radiogroup" aria-label="Show">
          {filters.map((f) => (
            <button
              key={f.value || 'all'}
              type="button"
              role="radio"
              aria-checked={filter === f.value}
              className={`chip ${filter === f.value ? 'on' : ''}`}
              onClick={() => setFilter(f.value)}
            >
              {f.value === 'favorites' && <Icon name="star" size={14} filled={filter === 'favorites'} />}
              {f.label}
            </button>
          ))}
        </div>
      </div>

      {api.contacts.length === 0 && !api.loading ? (
        <EmptyState icon="users" title={search || filter ? 'No contacts match' : 'No contacts yet'}>
          {!search && !filter && (
            <button type="button" className="btn" onClick={() => setEditing('new')}>
              Add your first contact
            </button>
          )}
        </EmptyState>
      ) : (
        <ul className="contact-list" aria-label="Contacts" aria-busy={api.loading} data-testid="contact-list">
          {api.contacts.map((c) => (
            <li key={c.id} className="contact" data-testid="contact-row" data-contact-id={c.id}>
              <Avatar name={c.name} size={44} />
              <div className="contact-main">
                <div className="contact-line">
                  <span className="contact-name">{c.name}</span>
                  <span className={`tag cat-${c.category}`}>{categoryLabel(c.category)}</span>
                </div>
                <div className="contact-sub">
                  <span>{formatPhone(c.phone)}</span>
                  {c.email && <span className="muted">{c.email}</span>}
                </div>
              </div>
              <div className="row-actions">
                <button
                  type="button"
                  className={`icon-btn star ${c.is_favorite ? 'on' : ''}`}
                  aria-pressed={c.is_favorite}
                  aria-label={`Favorite ${c.name}`}
                  onClick={() => api.toggleFavorite(c.id).catch((e) => notifyError(e, 'Could not update favorite'))}
                >
                  <Icon name="star" size={18} filled={c.is_favorite} />
                </button>
                <button type="button" className="icon-btn" aria-label={`Edit ${c.name}`} onClick={() => setEditing(c)}>
                  <Icon name="edit" size={18} />
                </button>
                {canDelete && (
                  <button type="button" className="icon-btn danger" aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c)}>
                    <Icon name="trash" size={18} />
                  </button>
                )}
                <button type="button" className="icon-btn call-mini" aria-label={`Call ${c.name}`} onClick={() => onCall(c.phone, c.name)}>
                  <Icon name="phone" size={18} />
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}

      <Modal
        open={editing !== null}
        title={editing === 'new' ? 'New contact' : 'Edit contact'}
        labelId="contact-form-title"
        onClose={() => setEditing(null)}
      >
        {editing !== null && (
          <ContactForm
            initial={editing === 'new' ? EMPTY : toInput(editing)}
            onCancel={() => setEditing(null)}
            onSubmit={async (input) => {
              try {
                if (editing === 'new') {
                  await api.create(input);
                  notify('success', `${input.name} added`);
                } else {
                  await api.update(editing.id, input);
                  notify('success', `${input.name} saved`);
                }
                setEditing(null);
              } catch (e) {
                notifyError(e, 'Could not save the contact');
              }
            }}
          />
        )}
      </Modal>

      <Modal open={deleting !== null} title="Delete contact" labelId="contact-delete-title" onClose={() => setDeleting(null)}>
        {deleting && (
          <div className="confirm">
            <p>
              Delete <strong>{deleting.name}</strong> ({formatPhone(deleting.phone)})? Call logs keep their history.
            </p>
            <div className="form-actions">
              <button type="button" className="btn" onClick={() => setDeleting(null)} autoFocus>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn-danger"
                onClick={async () => {
                  try {
                    await api.remove(deleting.id);
                    notify('success', `${deleting.name} deleted`);
                    setDeleting(null);
                  } catch (e) {
                    notifyError(e, 'Could not delete the contact');
                  }
                }}
              >
                Delete
              </button>
            </div>
          </div>
        )}
      </Modal>
    </div>
  );
}

function toInput(c: Contact): ContactInput {
  return { name: c.name, phone: c.phone, email: c.email ?? '', category: c.category, is_favorite: c.is_favorite };
}

function ContactForm({
  initial,
  onSubmit,
  onCancel,
}: {
  initial: ContactInput;
  onSubmit: (c: ContactInput) => Promise<void>;
  onCancel: () => void;
}) {
  const [v, setV] = useState<ContactInput>(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof ContactInput, string>>>({});
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (!v.name.trim()) errs.name = 'Enter a name';
    const phone = toE164(v.phone);
    if (!phone.ok) errs.phone = phone.error;
    if (v.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim())) errs.email = 'Enter a valid email address';
    setErrors(errs);
    if (Object.keys(errs).length || !phone.ok) return;
    setSaving(true);
    try {
      await onSubmit({ ...v, name: v.name.trim(), email: v.email.trim(), phone: phone.e164 });
    } finally {
      setSaving(false);
    }
  };

  const field = (key: 'name' | 'phone' | 'email', label: string, type: string, extra: Record<string, string> = {}) => (
    <div className="field">
      <label htmlFor={`contact-${key}`}>{label}</label>
      <input
        id={`contact-${key}`}
        type={type}
        value={v[key]}
        aria-invalid={!!errors[key]}
        aria-describedby={errors[key] ? `contact-${key}-error` : undefined}
        onChange={(e) => setV({ ...v, [key]: e.target.value })}
        {...extra}
      />
      {errors[key] && (
        <p className="field-error" id={`contact-${key}-error`}>
          {errors[key]}
        </p>
      )}
    </div>
  );

  return (
    <form onSubmit={submit} noValidate className="form">
      {field('name', 'Name', 'text', { autoComplete: 'name', autoFocus: 'true' })}
      {field('phone', 'Phone', 'tel', { autoComplete: 'tel', placeholder: '+1 415 555 0123' })}
      {field('email', 'Email (optional)', 'email', { autoComplete: 'email' })}
      <fieldset className="field">
        <legend>Category</legend>
        <div className="chips">
          {CONTACT_CATEGORIES.map((c) => (
            <label key={c} className={`chip ${v.category === c ? 'on' : ''}`}>
              <input
                type="radio"
                name="category"
                value={c}
                checked={v.category === c}
                onChange={() => setV({ ...v, category: c })}
                className="sr-only"
              />
              {CATEGORY_LABELS[c]}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={v.is_favorite} onChange={(e) => setV({ ...v, is_favorite: e.target.checked })} />
        Favorite
      </label>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save contact'}
        </button>
      </div>
    </form>
  );
}
