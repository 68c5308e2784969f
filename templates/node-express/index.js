import express from 'express';

const app = express();
const port = process.env.PORT || 3000;

app.get('/', (req, res) => {
  res.type('html').send(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Express Server</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
      code { background: #f3f3f3; padding: 0.1em 0.3em; border-radius: 4px; }
    </style>
  </head>
  <body>
    <h1>Hello from Express!</h1>
    <p>Edit <code>index.js</code> to change this page.</p>
    <p>Try the JSON API: <a href="/api/hello">/api/hello</a></p>
    <p id="message"></p>
    <script>
      fetch('/api/hello')
        .then((res) => res.json())
        .then((data) => {
          document.getElementById('message').textContent = 'API says: ' + data.message;
        });
    </script>
  </body>
</html>`);
});

app.get('/api/hello', (req, res) => {
  res.json({ message: 'Hello, world!' });
});

app.listen(port, () => {
  console.log(`Server listening on http://localhost:${port}`);
});
