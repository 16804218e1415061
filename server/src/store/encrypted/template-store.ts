import { templateKey, type TemplateRecord, type TemplateStore } from '../template-store';
import { sealContext, type DataCipher } from './cipher';

/**
 * Encrypts the body of any `TemplateStore` (a facilitator's own text, like the workshop title),
 * bound to its template id and version so a sealed body cannot be moved to another version.
 */
export class EncryptedTemplateStore implements TemplateStore {
  constructor(
    private readonly inner: TemplateStore,
    private readonly cipher: DataCipher,
  ) {}

  addTemplateVersion(record: TemplateRecord): Promise<'ok' | 'exists'> {
    const context = sealContext.templateBody(templateKey(record.templateId, record.version));
    return this.inner.addTemplateVersion({ ...record, body: this.cipher.sealText(record.body, context) });
  }

  async getTemplateVersion(templateId: string, version: number): Promise<TemplateRecord | null> {
    const record = await this.inner.getTemplateVersion(templateId, version);
    if (!record) return null;
    return { ...record, body: this.cipher.openText(record.body, sealContext.templateBody(templateKey(templateId, version))) };
  }

  latestTemplateVersion(templateId: string): Promise<number | null> {
    return this.inner.latestTemplateVersion(templateId);
  }

  deleteOrphanTemplates(): Promise<number> {
    return this.inner.deleteOrphanTemplates();
  }
}
