/**
 * Connections a test file opens to its servers, closed together in
 * afterAll (tests that open many short-lived clients on several servers).
 */
import { RespConnection } from './resp-connection';

export class TestConnections {
  private readonly opened: RespConnection[] = [];

  /** A new connection to 127.0.0.1:port, authenticated when a password is given. */
  async open(port: number, password?: string): Promise<RespConnection> {
    const connection = new RespConnection('127.0.0.1', port);
    this.opened.push(connection);
    await connection.ready(password);
    return connection;
  }

  closeAll(): void {
    for (const connection of this.opened.splice(0)) connection.close();
  }
}
