// Fills and sends the sign-in form (the page's or the one over the app).
import { act, fireEvent, within } from '@testing-library/react';

export async function signIn(email: string, password: string, scope: HTMLElement = document.body) {
  const form = within(scope).getByTestId('signin-form');
  fireEvent.change(within(form).getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(within(form).getByLabelText('Password'), { target: { value: password } });
  await act(async () => {
    fireEvent.submit(form);
  });
}
