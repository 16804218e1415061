import { useEffect, useState } from 'react';

interface Props {
  value: string;
  alt: string;
}

/** A QR code generated in the browser (no third-party service), shown as an SVG data URL. */
export function QrCode({ value, alt }: Props) {
  const [src, setSrc] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void import('qrcode').then(async (QR) => {
      const svg = await QR.toString(value, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#2b1d24', light: '#ffffff' } });
      if (!cancelled) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      cancelled = true;
    };
  }, [value]);

  return src ? <img className="qr" src={src} alt={alt} width={180} height={180} /> : <div className="qr qr--pending" />;
}
