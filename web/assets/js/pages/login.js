// Sign in: "Email", "Password", "Sign in"; errors in words; admins land on the wallboard,
// operators on their workspace (main.js routes by role once the session is set).
import { h, field } from '../core/dom.js';
import * as api from '../core/api.js';
import * as session from '../core/session.js';

export function mount(root) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const notice = session.takeSignOutReason();
  const button = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in');
  const form = h('form', { class: 'form', 'aria-labelledby': 'login-title' },
    field('Email', email), field('Password', password), error, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!email.value.trim() || !password.value) {
      error.textContent = 'Enter your email and password.';
      error.hidden = false;
      return;
    }
    button.disabled = true;
    button.textContent = 'Signing in…';
    try {
      const answer = await api.post('/api/auth/login', { email: email.value.trim(), password: password.value });
      session.signIn(answer.token, answer.user);
    } catch (err) {
      error.textContent = err.status === 401 ? 'The email or password is not right.' : err.text;
      error.hidden = false;
      password.select();
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  });
  root.classList.add('login-page');
  root.append(h('section', { class: 'card login-card' },
    h('div', { class: 'login-brand' }, h('img', { src: '/assets/icon.svg', alt: '', width: 40, height: 40 }),
      h('div', {}, h('h1', { id: 'login-title' }, 'Ibrat Console'), h('p', { class: 'muted' }, 'Lead calling for admins and operators'))),
    notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
    form));
  email.focus();
}
