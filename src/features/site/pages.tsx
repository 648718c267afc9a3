import { ClusterCards } from '../clusters/pages.js';
import type { ClusterSummaryDto } from '../clusters/schemas.js';
import { formatDate } from '../../platform/dates.js';
import { t } from '../../platform/i18n.js';
import { Layout, type PageContext } from '../../platform/layout.js';

/** Version of the privacy notice; consent records will refer to it. */
export const PRIVACY_NOTICE_VERSION = '2026-11-25';

export function HomePage({ ctx, clusters }: { ctx: PageContext; clusters: ClusterSummaryDto[] }) {
  const { lang } = ctx;
  return (
    <Layout ctx={ctx} title={t(lang, 'site.name')} description={t(lang, 'site.tagline')} section="home">
      <section class="mb-5">
        <h1 class="display-5 mb-3">{t(lang, 'home.title')}</h1>
        <p class="lead col-lg-9">{t(lang, 'home.lead')}</p>
      </section>
      <section class="mb-5" aria-labelledby="what">
        <h2 id="what" class="h3 mb-3">
          {t(lang, 'home.whatTitle')}
        </h2>
        <ul class="row list-unstyled">
          {(['home.what1', 'home.what2', 'home.what3', 'home.what4'] as const).map((key) => (
            <li class="col-12 col-md-6 col-lg-3 mb-3">
              <div class="callout callout-highlight note mt-0 mb-0 h-100">
                <p class="mb-0">{t(lang, key)}</p>
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="clusters">
        <h2 id="clusters" class="h3 mb-3">
          {t(lang, 'home.clustersTitle')}
        </h2>
        <ClusterCards lang={lang} clusters={clusters} />
      </section>
    </Layout>
  );
}

export function AccessibilityPage({ ctx, contactEmail }: { ctx: PageContext; contactEmail: string | undefined }) {
  const { lang } = ctx;
  const updated = formatDate('2026-11-25', lang);
  const contact = contactEmail ? <a href={`mailto:${contactEmail}`}>{contactEmail}</a> : null;
  return (
    <Layout
      ctx={ctx}
      title={t(lang, 'a11y.title')}
      breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: t(lang, 'a11y.title') }]}
    >
      <div class="col-lg-9">
        <h1 class="mb-4">{t(lang, 'a11y.title')}</h1>
        {lang === 'it' ? (
          <>
            <p>
              Il gestore di questa installazione di Clusterhub si impegna a rendere il servizio accessibile, in conformità
              alla Legge 9 gennaio 2004, n. 4 e alle Linee guida AgID sull’accessibilità degli strumenti informatici, che
              recepiscono la norma EN 301 549 e le WCAG 2.1 livello AA.
            </p>
            <h2 class="h4 mt-4">Stato di conformità</h2>
            <p>
              Il servizio è <strong>parzialmente conforme</strong> ai requisiti: le pagine pubblicate vengono verificate a
              ogni modifica con controlli automatici (axe-core, regole WCAG 2.1 A e AA) in un browser reale e con prove
              manuali di navigazione da tastiera. Alcuni requisiti richiedono una valutazione manuale completa, non ancora
              svolta da un ente terzo.
            </p>
            <h2 class="h4 mt-4">Redazione della dichiarazione</h2>
            <p>Dichiarazione redatta il {updated} mediante autovalutazione.</p>
            <h2 class="h4 mt-4">Meccanismo di feedback</h2>
            <p>
              Per segnalare un problema di accessibilità o chiedere un contenuto in forma accessibile,{' '}
              {contact ? <>scrivi a {contact}.</> : <>contatta il gestore di questa installazione (indirizzo non ancora configurato).</>}{' '}
              Riceverai una risposta entro 30 giorni.
            </p>
            <h2 class="h4 mt-4">Procedura di attuazione</h2>
            <p>
              In caso di risposta insoddisfacente o mancata risposta entro 30 giorni puoi inviare una segnalazione al
              Difensore civico per il digitale presso l’Agenzia per l’Italia Digitale (AgID).
            </p>
          </>
        ) : (
          <>
            <p>
              The operator of this Clusterhub installation is committed to making the service accessible, in accordance
              with Italian Law no. 4 of 9 January 2004 and the AgID accessibility guidelines, which adopt standard EN 301
              549 and WCAG 2.1 level AA.
            </p>
            <h2 class="h4 mt-4">Compliance status</h2>
            <p>
              The service is <strong>partially compliant</strong>: published pages are checked on every change with
              automated tests (axe-core, WCAG 2.1 A and AA rules) in a real browser and with manual keyboard navigation.
              Some requirements need a full manual evaluation, not yet carried out by a third party.
            </p>
            <h2 class="h4 mt-4">Preparation of this statement</h2>
            <p>Statement prepared on {updated} by self-assessment.</p>
            <h2 class="h4 mt-4">Feedback</h2>
            <p>
              To report an accessibility problem or ask for content in an accessible form,{' '}
              {contact ? <>write to {contact}.</> : <>contact the operator of this installation (address not configured yet).</>}{' '}
              You will receive an answer within 30 days.
            </p>
            <h2 class="h4 mt-4">Enforcement procedure</h2>
            <p>
              If the answer is unsatisfactory or does not arrive within 30 days, you can report it to the Digital
              Ombudsman (Difensore civico per il digitale) at the Agency for Digital Italy (AgID).
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}

export function PrivacyPage({ ctx, contactEmail }: { ctx: PageContext; contactEmail: string | undefined }) {
  const { lang } = ctx;
  const version = formatDate(PRIVACY_NOTICE_VERSION, lang);
  const contact = contactEmail ? <a href={`mailto:${contactEmail}`}>{contactEmail}</a> : null;
  return (
    <Layout
      ctx={ctx}
      title={t(lang, 'privacy.title')}
      breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: t(lang, 'privacy.title') }]}
    >
      <div class="col-lg-9">
        <h1 class="mb-2">{t(lang, 'privacy.title')}</h1>
        {lang === 'it' ? (
          <>
            <p class="text-secondary">Versione del {version}</p>
            <p>
              Questa informativa è resa ai sensi degli articoli 13 e 14 del Regolamento (UE) 2016/679 (GDPR) a chi
              consulta questa installazione di Clusterhub.
            </p>
            <h2 class="h4 mt-4">Titolare del trattamento</h2>
            <p>
              Il titolare è il soggetto che gestisce questa installazione.{' '}
              {contact ? <>Contatto: {contact}.</> : <>Il contatto non è ancora stato configurato.</>}
            </p>
            <h2 class="h4 mt-4">Quali dati trattiamo</h2>
            <ul>
              <li>
                <strong>Dati di navigazione</strong>: indirizzo IP, data e ora, pagina richiesta e codice della richiesta,
                registrati nei log tecnici per la sicurezza e il funzionamento del servizio (legittimo interesse) e
                conservati per non più di 90 giorni.
              </li>
              <li>
                <strong>Cookie tecnico della lingua</strong> (<code>lang</code>), che ricorda la lingua scelta per un
                anno. Non usiamo cookie di profilazione né strumenti di terze parti, e le pagine non caricano risorse da
                altri siti.
              </li>
              <li>
                <strong>Dati delle organizzazioni</strong> pubblicati nel registro dei cluster: dati pubblici di enti e
                imprese, tratti da atti e comunicati ufficiali.
              </li>
            </ul>
            <h2 class="h4 mt-4">I tuoi diritti</h2>
            <p>
              Puoi chiedere accesso, rettifica, cancellazione, limitazione e portabilità dei tuoi dati e opporti al
              trattamento (articoli 15–22 GDPR), e proporre reclamo al Garante per la protezione dei dati personali.
            </p>
          </>
        ) : (
          <>
            <p class="text-secondary">Version of {version}</p>
            <p>
              This notice is given under Articles 13 and 14 of Regulation (EU) 2016/679 (GDPR) to anyone using this
              Clusterhub installation.
            </p>
            <h2 class="h4 mt-4">Data controller</h2>
            <p>
              The controller is the body operating this installation.{' '}
              {contact ? <>Contact: {contact}.</> : <>No contact address has been configured yet.</>}
            </p>
            <h2 class="h4 mt-4">What data we process</h2>
            <ul>
              <li>
                <strong>Browsing data</strong>: IP address, date and time, requested page and request code, recorded in
                technical logs for the security and operation of the service (legitimate interest) and kept for no more
                than 90 days.
              </li>
              <li>
                <strong>Technical language cookie</strong> (<code>lang</code>), remembering the chosen language for one
                year. We use no profiling cookies or third-party tools, and pages load no resources from other sites.
              </li>
              <li>
                <strong>Data on organisations</strong> published in the cluster registry: public data of bodies and
                companies, taken from official acts and press releases.
              </li>
            </ul>
            <h2 class="h4 mt-4">Your rights</h2>
            <p>
              You may ask for access to, rectification, erasure, restriction and portability of your data and object to
              processing (Articles 15–22 GDPR), and lodge a complaint with the Italian Data Protection Authority (Garante
              per la protezione dei dati personali).
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}
