import { NotificationMessages } from './notification.events.js';

describe('NotificationMessages', () => {
  it('reads back the users and the events it wrote, documents untouched', () => {
    expect(NotificationMessages.parse(NotificationMessages.users([3, 1, 3]))).toEqual({ users: [3, 1] });
    const events = [
      { userId: 7, id: 41, doc: '{"id":41,"title":"a b  c","meta":{"preview":"x\\ny"}}' },
      { userId: 9, id: 42, doc: '{}' },
    ];
    expect(NotificationMessages.parse(NotificationMessages.events(events))).toEqual({ events });
  });

  it('drops what is not a user id or an event line rather than guessing', () => {
    expect(NotificationMessages.parse('1,x,2')).toEqual({ users: [1, 2] });
    expect(NotificationMessages.parse('events\n7 41 {}\ngarbage\n8 {}')).toEqual({ events: [{ userId: 7, id: 41, doc: '{}' }] });
  });
});
