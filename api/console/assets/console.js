// The console's one script: small enhancements over plain forms. Every page works without it,
// except live progress, which falls back to reloading.

/** A value at a dotted path of an object ("progress.processed"). */
function pick(object, path) {
  return path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), object);
}

/** The sum of the numbers at one or more dotted paths joined by "+" ("progress.invited+progress.skipped"). */
function sum(object, paths) {
  return paths.split('+').reduce((total, path) => total + (Number(pick(object, path)) || 0), 0);
}

/** Copy buttons: data-copy names the field whose value they copy. */
function copyButtons() {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.addEventListener('click', async () => {
      const field = document.querySelector(button.dataset.copy);
      if (!field) return;
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        document.execCommand('copy');
      }
      const label = button.textContent;
      button.textContent = 'Copied';
      setTimeout(() => {
        button.textContent = label;
      }, 1500);
    });
  }
}

/** Forms that change something hard to undo ask first: data-confirm is the question. */
function confirmations() {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    const question = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
    if (question && !window.confirm(question)) event.preventDefault();
  });
}

/** Text areas with a limit: data-counter names the element that shows "used / limit". */
function counters() {
  for (const area of document.querySelectorAll('textarea[data-counter]')) {
    const out = document.getElementById(area.dataset.counter);
    const limit = Number(area.getAttribute('maxlength') || area.dataset.limit || 0);
    const update = () => {
      if (!out) return;
      out.textContent = `${area.value.length.toLocaleString('en')} / ${limit.toLocaleString('en')}`;
      out.classList.toggle('over', limit > 0 && area.value.length > limit);
    };
    area.addEventListener('input', update);
    update();
  }
}

/** Image inputs with data-preview show the chosen picture before it is uploaded. */
function previews() {
  for (const input of document.querySelectorAll('input[type=file][data-preview]')) {
    const img = document.getElementById(input.dataset.preview);
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!img) return;
      if (!file) {
        img.hidden = true;
        return;
      }
      img.src = URL.createObjectURL(file);
      img.hidden = false;
    });
  }
}

/** A "select all" box checks every row box of its form. */
function selectAll() {
  for (const box of document.querySelectorAll('input[type=checkbox][data-select-all]')) {
    const form = box.form;
    const rows = () => form.querySelectorAll(`input[type=checkbox][name="${box.dataset.selectAll}"]`);
    const count = document.getElementById(box.dataset.count || '');
    const update = () => {
      if (count) count.textContent = String([...rows()].filter((r) => r.checked).length);
    };
    box.addEventListener('change', () => {
      for (const row of rows()) row.checked = box.checked;
      update();
    });
    for (const row of rows()) row.addEventListener('change', update);
    update();
  }
}

/**
 * Live progress: an element with data-progress (a console event-stream URL) updates its
 * [data-field] children and <progress data-value data-max> from each event, and reloads the
 * page when the run is finished. Without EventSource, it reloads every few seconds.
 */
function progress() {
  for (const box of document.querySelectorAll('[data-progress]')) {
    const apply = (data) => {
      for (const field of box.querySelectorAll('[data-field]')) {
        const value = pick(data, field.dataset.field);
        if (value !== undefined)
          field.textContent = typeof value === 'number' ? value.toLocaleString('en') : value;
      }
      for (const bar of box.querySelectorAll('progress[data-value]')) {
        const value = sum(data, bar.dataset.value);
        const max = Number(pick(data, bar.dataset.max) || 0);
        if (max > 0) bar.max = max;
        bar.value = value;
      }
    };
    if (!('EventSource' in window)) {
      setTimeout(() => window.location.reload(), 3000);
      continue;
    }
    const source = new EventSource(box.dataset.progress);
    const onData = (event) => {
      try {
        apply(JSON.parse(event.data));
      } catch {
        // A malformed event changes nothing on the page.
      }
    };
    for (const name of (box.dataset.events || 'message').split(' ')) source.addEventListener(name, onData);
    source.addEventListener('finished', (event) => {
      onData(event);
      source.close();
      box.dataset.finished = 'true';
      setTimeout(() => window.location.reload(), 600);
    });
  }
}

document.addEventListener('DOMContentLoaded', () => {
  copyButtons();
  confirmations();
  counters();
  previews();
  selectAll();
  progress();
});
