// What Streamlit does not let a page say: the document's language and title, and French for the few English words
// of its own controls. Run in the page's document (st.html with JavaScript, not an iframe); installed once per
// browser tab, it corrects again whatever a rerun draws.
(() => {
  const TRADUCTIONS = {
    "Show password": "Afficher le mot de passe",
    "Hide password": "Masquer le mot de passe",
    "Main menu": "Menu principal",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Close": "Fermer",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Open": "Ouvrir",
    "open": "ouvrir",
    "Remove file": "Retirer le fichier",
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    "Collapse sidebar": "Replier le menu",
    "Expand sidebar": "Déplier le menu",
    "Copy to clipboard": "Copier",
    "Select all": "Tout sélectionner",
    "Previous month.": "Mois précédent",
    "Next month.": "Mois suivant",
    "Choose a date": "Choisir une date",
    "Select a date.": "Choisissez une date.",
    "Link to heading": "Lien vers ce titre",
  };
  const TEXTES = {"Skip to main content": "Aller au contenu principal"};
  // A field's hint under it: « Press Enter to apply », « Press Ctrl+Enter to submit form »…
  const CONSIGNES = [[/^Press (.*)Enter to submit form$/, "$1Entrée pour envoyer le formulaire"],
                     [/^Press (.*)Enter to apply$/, "$1Entrée pour valider"]];
  const PLACEHOLDERS = {"YYYY/MM/DD": "AAAA/MM/JJ", "DD/MM/YYYY": "JJ/MM/AAAA", "dd / mm / yyyy": "jj / mm / aaaa",
                        "Choose an option": "Choisissez", "Choose options": "Choisissez"};
  // An element's only text node, or null: texts are changed there, in the node React keeps and updates.
  function texteSeul(e) {
    return e.childNodes.length === 1 && e.firstChild.nodeType === Node.TEXT_NODE ? e.firstChild : null;
  }
  function corriger() {
    if (document.documentElement.lang !== "fr") document.documentElement.lang = "fr";
    for (const attribut of ["aria-label", "title"]) {
      for (const e of document.querySelectorAll(`[${attribut}]`)) {
        const francais = TRADUCTIONS[e.getAttribute(attribut)];
        if (francais) e.setAttribute(attribut, francais);
      }
    }
    for (const e of document.querySelectorAll("a")) {
      const texte = texteSeul(e);
      if (texte && TEXTES[texte.nodeValue.trim()]) texte.nodeValue = TEXTES[texte.nodeValue.trim()];
    }
    for (const e of document.querySelectorAll('[data-testid="InputInstructions"] span')) {
      const texte = texteSeul(e);
      for (const [anglais, francais] of texte ? CONSIGNES : []) {
        if (anglais.test(texte.nodeValue)) texte.nodeValue = texte.nodeValue.replace(anglais, francais);
      }
    }
    for (const donnees of document.querySelectorAll(".oepre-champs[data-grille]")) {
      const libelles = JSON.parse(donnees.dataset.libelles || "{}");
      for (const td of document.querySelectorAll(`.${CSS.escape(JSON.parse(donnees.dataset.grille))} [data-testid="stDataFrame"] td`)) {
        const texte = texteSeul(td);
        if (texte && libelles[texte.nodeValue.trim()]) texte.nodeValue = libelles[texte.nodeValue.trim()];
      }
    }
    // A diagram (the dossier's circuit) is an image whose text alternative is the table under it.
    for (const e of document.querySelectorAll('[data-testid="stGraphVizChart"] svg:not([role])')) {
      e.setAttribute("role", "img");
      e.setAttribute("aria-label", "Diagramme ; le tableau qui le suit en donne le détail.");
    }
    // A Material icon is a ligature: its name (« login », « map ») would be read before the link's text.
    for (const e of document.querySelectorAll('[data-testid="stIconMaterial"]:not([aria-hidden])')) {
      e.setAttribute("aria-hidden", "true");
    }
    for (const e of document.querySelectorAll("input[placeholder]")) {
      const francais = PLACEHOLDERS[e.getAttribute("placeholder")];
      if (francais) e.setAttribute("placeholder", francais);
    }
    const menu = document.querySelector('[data-testid="stSidebarUserContent"]');
    if (menu && menu.getAttribute("role") !== "navigation") {  // the menu (apparence.menu) as a navigation landmark
      menu.setAttribute("role", "navigation");
      menu.setAttribute("aria-label", "Menu principal");
    }
    marquerLesChamps();
    if (window.__oepreTitre && document.title !== window.__oepreTitre) document.title = window.__oepreTitre;
    rendreLeFocus();
  }
  // The fields the page said are required or were refused (apparence.marquer_obligatoires,
  // signaler_champs_en_erreur): found by their label, the control gets aria-required or aria-invalid, described by the
  // refusal's message; the first refused field gets the focus, once per refusal.
  function controleDe(libelle) {
    for (const etiquette of document.querySelectorAll('[data-testid="stWidgetLabel"]')) {
      if (etiquette.textContent.trim() !== libelle) continue;
      const bloc = etiquette.closest('[data-testid="stElementContainer"], .stElementContainer');
      const controle = bloc && bloc.querySelector("input:not([type=hidden]), textarea, [role=combobox]");
      if (controle) return {etiquette, controle};
    }
    return null;
  }
  function marquerLesChamps() {
    const refuses = new Set();
    for (const donnees of document.querySelectorAll(".oepre-champs")) {
      for (const libelle of JSON.parse(donnees.dataset.obligatoires || "[]")) {
        const trouve = controleDe(libelle);
        if (!trouve) continue;
        if (trouve.controle.getAttribute("aria-required") !== "true") trouve.controle.setAttribute("aria-required", "true");
        trouve.etiquette.classList.add("oepre-obligatoire");
      }
      const invalides = JSON.parse(donnees.dataset.invalides || "[]");
      const message = invalides.length ? [...document.querySelectorAll('[data-testid="stAlert"]')].pop() : null;
      if (message && !message.id) message.id = "oepre-erreurs";
      let premier = null;
      for (const libelle of invalides) {
        const trouve = controleDe(libelle);
        if (!trouve) continue;
        refuses.add(trouve.controle);
        trouve.controle.setAttribute("aria-invalid", "true");
        if (message) trouve.controle.setAttribute("aria-describedby", message.id);
        premier = premier || trouve.controle;
      }
      if (premier && !donnees.dataset.traite) premier.focus({preventScroll: false});
      if (invalides.length) donnees.dataset.traite = "1";
    }
    for (const ancien of document.querySelectorAll('[aria-invalid="true"]')) {  // a refusal the next run no longer says
      if (!refuses.has(ancien)) { ancien.removeAttribute("aria-invalid"); ancien.removeAttribute("aria-describedby"); }
    }
  }
  // The focus across reruns: Streamlit redraws a control a rerun changed (the radio whose arrow key opened another
  // section of the guided application), the focused node goes and the focus falls back to the page. The control of
  // the same kind and name gets it back; a mouse click forgets it (a click elsewhere is a choice). Only when the node
  // left the page: a focus moving on (Tab) passes by the page's body too, and must not be pulled back.
  function decrire(e) {
    const etiquette = e.labels && e.labels.length ? e.labels[0].innerText : "";
    const role = e.getAttribute("role");
    return {selecteur: e.tagName.toLowerCase() + (e.type ? `[type="${e.type}"]` : "") + (role ? `[role="${role}"]` : ""),
            nom: (e.getAttribute("aria-label") || etiquette || e.innerText || "").trim()};
  }
  function rendreLeFocus() {
    const f = window.__oepreFocus;
    if (!f || !f.nom || !f.noeud || f.noeud.isConnected) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    if (Date.now() - f.quand > 15000) return;
    for (const candidat of document.querySelectorAll(f.selecteur)) {
      if (decrire(candidat).nom === f.nom) { candidat.focus({preventScroll: true}); return; }
    }
  }
  if (!window.__oepreFocus) {
    window.__oepreFocus = {};
    document.addEventListener("focusin", (ev) => {
      if (ev.target !== document.body) window.__oepreFocus = {...decrire(ev.target), noeud: ev.target, quand: Date.now()};
    });
    document.addEventListener("mousedown", () => { window.__oepreFocus = {}; }, true);
  }
  window.__oepreTitre = "__TITRE__";
  if (!window.__oepreObservateur) {
    // One pass per frame, however many changes a rerun or a grid's scroll made in it.
    let prevu = false;
    window.__oepreObservateur = new MutationObserver(() => {
      if (prevu) return;
      prevu = true;
      requestAnimationFrame(() => { prevu = false; corriger(); });
    });
    window.__oepreObservateur.observe(document.documentElement, {subtree: true, childList: true, characterData: true,
                                                                 attributes: true,
                                                                 attributeFilter: ["aria-label", "title", "placeholder", "lang"]});
  }
  corriger();
})();
