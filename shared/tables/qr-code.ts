// qrcode is CommonJS, which esbuild cannot tree-shake: it lives here so that only the QR route's bundle carries it.
import QRCode from 'qrcode';
import type { StaffPrincipal } from '../auth/principal';
import { orderUrl, requireTable } from './tables';

/** The table's QR code as SVG: it encodes `orderUrl`, nothing else. */
export async function tableQrSvg(actor: StaffPrincipal, tableId: string): Promise<string> {
  const table = await requireTable(actor, tableId);
  return QRCode.toString(orderUrl(table.tableCode), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
