export class Health {
  status: 'ok' | 'error';
}
