import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { Button } from '@/components/ui/Button';
import { fieldErrors, SelectField, TextField } from '@/components/ui/Field';
import { Skeleton } from '@/components/ui/Skeleton';
import { useToast } from '@/components/ui/Toast';
import { isApiError } from '@/lib/api-client';
import { AGE_BANDS, GENDERS, useMe, type AgeBand, type ShopperGender, type User } from '../api/get-me';
import { useUpdateMe, type UpdateMeBody } from '../api/update-me';
import { useUploadAvatar } from '../api/upload-avatar';

const STYLE_CHOICES = ['casual', 'formal', 'ethnic', 'sporty', 'party', 'minimal', 'streetwear', 'boho', 'classic'];

interface Draft {
  name: string;
  avatar: string;
  tops: string;
  bottoms: string;
  shoes: string;
  styles: string[];
  gender: ShopperGender | '';
  age_band: AgeBand | '';
}

function draftOf(user: User): Draft {
  return {
    name: user.name ?? '',
    avatar: user.avatar ?? '',
    tops: user.sizes?.tops ?? '',
    bottoms: user.sizes?.bottoms ?? '',
    shoes: user.sizes?.shoes ?? '',
    styles: Array.isArray(user.preferences?.styles) ? user.preferences.styles : [],
    gender: user.preferences?.gender ?? '',
    age_band: user.preferences?.age_band ?? '',
  };
}

// The draft survives a reload or an expired session in this tab.
const DRAFT_KEY = 'familyroom.profile_draft';

function loadDraft(userId: string): Draft | null {
  try {
    const raw = sessionStorage.getItem(DRAFT_KEY);
    const parsed = raw ? (JSON.parse(raw) as { userId: string; draft: Draft }) : null;
    return parsed?.userId === userId ? parsed.draft : null;
  } catch {
    return null;
  }
}

export function ProfilePage() {
  const me = useMe();
  if (me.isPending) {
    return (
      <main className="page narrow" aria-busy="true">
        <h1>Your profile</h1>
        <div className="card stack" role="status" aria-label="Loading profile">
          <Skeleton width={72} height={72} radius={36} />
          <Skeleton width="60%" height={36} />
          <Skeleton width="60%" height={36} />
        </div>
      </main>
    );
  }
  if (!me.data) return <main className="page narrow"><p role="alert">Your profile could not be loaded.</p></main>;
  return <ProfileForm key={me.data.id} user={me.data} />;
}

function ProfileForm({ user }: { user: User }) {
  const toast = useToast();
  const update = useUpdateMe();
  const upload = useUploadAvatar();
  const [draft, setDraft] = useState<Draft>(() => loadDraft(user.id) ?? draftOf(user));
  const fileInput = useRef<HTMLInputElement>(null);
  const errors = fieldErrors(update.error);

  useEffect(() => {
    try {
      sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ userId: user.id, draft }));
    } catch {
      // No storage: the draft lives in memory only.
    }
  }, [draft, user.id]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: UpdateMeBody = {
      name: draft.name.trim(),
      avatar: draft.avatar.trim() || null,
      sizes: {
        ...(draft.tops.trim() ? { tops: draft.tops.trim() } : {}),
        ...(draft.bottoms.trim() ? { bottoms: draft.bottoms.trim() } : {}),
        ...(draft.shoes.trim() ? { shoes: draft.shoes.trim() } : {}),
      },
      preferences: {
        styles: draft.styles,
        ...(draft.gender ? { gender: draft.gender } : {}),
        ...(draft.age_band ? { age_band: draft.age_band } : {}),
        ...(user.preferences?.brands ? { brands: user.preferences.brands } : {}),
      },
    };
    update.mutate(body, {
      onSuccess: (saved) => {
        sessionStorage.removeItem(DRAFT_KEY);
        setDraft(draftOf(saved));
        toast.show('Profile saved', 'success');
      },
      onError: (err) => {
        if (!isApiError(err) || err.errors.length === 0) toast.error(err, 'Could not save your profile');
      },
    });
  };

  const onFile = (file: File | undefined) => {
    if (!file) return;
    if (!file.type.startsWith('image/')) {
      toast.show('Choose an image file', 'error');
      return;
    }
    upload.mutate(file, {
      onSuccess: (answer) => {
        set('avatar', answer.avatar ?? '');
        toast.show('Photo uploaded', 'success');
      },
      onError: (err) => toast.error(err, 'Could not upload the photo'),
    });
  };

  return (
    <main className="page narrow">
      <h1>Your profile</h1>
      <form className="card form" onSubmit={submit} noValidate>
        <div className="avatar-row">
          <Avatar name={draft.name || user.name} src={draft.avatar} size={72} />
          <div className="stack-sm">
            <input ref={fileInput} type="file" accept="image/png,image/jpeg,image/webp,image/gif" className="sr-only" id="avatar-file" onChange={(e) => onFile(e.target.files?.[0])} />
            <Button variant="secondary" size="sm" busy={upload.isPending} onClick={() => fileInput.current?.click()}>
              Upload a photo
            </Button>
            <TextField label="…or a picture URL" type="url" value={draft.avatar} onChange={(e) => set('avatar', e.target.value)} error={errors.avatar} placeholder="https://" />
          </div>
        </div>
        <TextField label="Name" required value={draft.name} onChange={(e) => set('name', e.target.value)} error={errors.name} autoComplete="name" />
        <fieldset className="fieldset">
          <legend>Your sizes</legend>
          <div className="grid-3">
            <TextField label="Tops" value={draft.tops} onChange={(e) => set('tops', e.target.value)} error={errors['sizes.tops']} placeholder="M" />
            <TextField label="Bottoms" value={draft.bottoms} onChange={(e) => set('bottoms', e.target.value)} error={errors['sizes.bottoms']} placeholder="32" />
            <TextField label="Shoes" value={draft.shoes} onChange={(e) => set('shoes', e.target.value)} error={errors['sizes.shoes']} placeholder="UK8" />
          </div>
          {errors.sizes ? <p className="field-error" role="alert">{errors.sizes}</p> : null}
        </fieldset>
        <fieldset className="fieldset">
          <legend>What you like</legend>
          <div className="chip-toggles" role="group" aria-label="Styles">
            {STYLE_CHOICES.concat(draft.styles.filter((s) => !STYLE_CHOICES.includes(s))).map((s) => {
              const on = draft.styles.includes(s);
              return (
                <button
                  key={s}
                  type="button"
                  className={`chip chip-toggle${on ? ' on' : ''}`}
                  aria-pressed={on}
                  onClick={() => set('styles', on ? draft.styles.filter((x) => x !== s) : [...draft.styles, s])}
                >
                  {s}
                </button>
              );
            })}
          </div>
          {errors['preferences.styles'] ? <p className="field-error" role="alert">{errors['preferences.styles']}</p> : null}
          <div className="grid-2">
            <SelectField label="Shop for" value={draft.gender} onChange={(e) => set('gender', e.target.value as ShopperGender | '')} error={errors['preferences.gender']}>
              <option value="">Not set</option>
              {GENDERS.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </SelectField>
            <SelectField label="Age band" value={draft.age_band} onChange={(e) => set('age_band', e.target.value as AgeBand | '')} error={errors['preferences.age_band']}>
              <option value="">Not set</option>
              {AGE_BANDS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </SelectField>
          </div>
        </fieldset>
        <div className="form-actions">
          <Button type="submit" busy={update.isPending}>
            Save profile
          </Button>
          <Button variant="ghost" onClick={() => setDraft(draftOf(user))}>
            Reset
          </Button>
        </div>
      </form>
    </main>
  );
}
